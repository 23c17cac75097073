#pragma once
// The playbook-bot binary as a child process with its output captured, and a temporary folder;
// for the tests that run the real executable.

#include "tests/integration/spawn.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <stdexcept>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace test {

// A child process with its stdout and stderr captured through pipes.
class child {
 public:
  child(std::vector<std::string> args, const std::map<std::string, std::string>& env) {
    int out[2], err[2];
    if (::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe");
    pid_ = test::spawn_bot(std::move(args), env, -1, out[1], err[1]);
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }

  ~child() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(out_);
    ::close(err_);
  }

  // Reads stderr until a line contains needle (or 10 s pass); returns that line.
  std::string wait_for_stderr_line(std::string_view needle) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      std::size_t start = scanned_;
      for (std::size_t nl; (nl = stderr_.find('\n', start)) != std::string::npos; start = nl + 1) {
        const auto line = stderr_.substr(start, nl - start);
        scanned_ = nl + 1;
        if (line.find(needle) != std::string::npos) return line;
      }
      pump(100);
    }
    return {};
  }

  // Waits for the process to exit (10 s at most) and returns its exit status, -1 on timeout.
  int wait_exit() {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        while (pump(50)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      pump(20);
    }
    return -1;
  }

  void signal(int sig) { ::kill(pid_, sig); }
  pid_t pid() const { return pid_; }
  const std::string& out() const { return stdout_; }
  const std::string& err() const { return stderr_; }
  // What the process wrote to stderr so far, read without waiting (err() shows only what a wait
  // has read).
  const std::string& log() {
    while (pump(0)) {
    }
    return stderr_;
  }

 private:
  // Moves what the pipes hold into the buffers; false when nothing came.
  bool pump(int timeout_ms) {
    pollfd fds[2] = {{out_, POLLIN, 0}, {err_, POLLIN, 0}};
    if (::poll(fds, 2, timeout_ms) <= 0) return false;
    bool got = false;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        (i == 0 ? stdout_ : stderr_).append(buf, static_cast<std::size_t>(n));
        got = true;
      }
    }
    return got;
  }

  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  bool exited_ = false;
  std::string stdout_, stderr_;
  std::size_t scanned_ = 0;
};

class temp_dir {
 public:
  temp_dir() {
    path_ = std::filesystem::temp_directory_path() /
            ("playbook-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    std::filesystem::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::filesystem::path path_;
};

}  // namespace test
