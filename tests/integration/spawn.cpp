#include "tests/integration/spawn.hpp"

#include <unistd.h>

#include <stdexcept>

namespace test {

pid_t spawn_bot(std::vector<std::string> args, const std::map<std::string, std::string>& env,
                int in_fd, int out_fd, int err_fd) {
  // Everything the child needs is built before fork: only async-signal-safe calls after it.
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp, argv;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  args.insert(args.begin(), PLAYBOOK_BOT_BINARY);
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    if (in_fd >= 0) ::dup2(in_fd, 0);
    if (out_fd >= 0) ::dup2(out_fd, 1);
    if (err_fd >= 0) ::dup2(err_fd, 2);
    ::close_range(3, ~0U, 0);
    ::execve(PLAYBOOK_BOT_BINARY, argv.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace test
