#pragma once
// Starting the playbook-bot binary as a child process for tests.

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace test {

// Starts playbook-bot (the binary under test) with args and exactly env as its environment.
// Its standard input, output and error become in_fd, out_fd and err_fd (-1 keeps the test's
// own); every other descriptor is closed in the child. Returns the child's pid.
pid_t spawn_bot(std::vector<std::string> args, const std::map<std::string, std::string>& env,
                int in_fd, int out_fd, int err_fd);

}  // namespace test
