// The log sink: whole lines, in order, none lost, urgent ones written before append() returns,
// and a bounded queue when the output stops draining.

#include "bot/log_sink.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;

// A temporary file opened for writing, whose contents the test reads back.
class capture_file {
 public:
  capture_file()
      : path_(fs::temp_directory_path() / ("log-sink-" + std::to_string(::getpid()) + "-" +
                                            std::to_string(counter_++))) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  }
  ~capture_file() {
    ::close(fd_);
    fs::remove(path_);
  }
  int fd() const { return fd_; }
  std::string contents() const {
    std::ifstream in(path_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
  int fd_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(log_sink, lines_from_many_threads_arrive_whole_and_in_each_threads_order) {
  capture_file file;
  {
    bot::log::line_sink sink(file.fd(), 1);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
      threads.emplace_back([&sink, t] {
        for (int i = 0; i < 2000; ++i)
          sink.append("thread " + std::to_string(t) + " line " + std::to_string(i) + "\n", false);
      });
    for (auto& th : threads) th.join();
  }  // the destructor writes what is still queued
  std::map<int, int> next;
  const auto lines = lines_of(file.contents());
  ASSERT_EQ(lines.size(), 8000u);
  for (const auto& line : lines) {
    int t = -1, i = -1;
    ASSERT_EQ(std::sscanf(line.c_str(), "thread %d line %d", &t, &i), 2) << line;
    EXPECT_EQ(i, next[t]) << "thread " << t << " out of order";
    next[t] = i + 1;
  }
}

TEST(log_sink, an_urgent_line_is_written_with_everything_before_it) {
  capture_file file;
  bot::log::line_sink sink(file.fd(), 60'000);  // the writer thread will not flush in time
  sink.append("first\n", false);
  sink.append("urgent\n", true);
  EXPECT_EQ(file.contents(), "first\nurgent\n");
}

TEST(log_sink, flush_writes_what_is_queued) {
  capture_file file;
  bot::log::line_sink sink(file.fd(), 60'000);
  sink.append("a\nb\n", false);
  sink.flush();
  EXPECT_EQ(file.contents(), "a\nb\n");
}

TEST(log_sink, queued_lines_are_written_by_the_writer_thread) {
  capture_file file;
  bot::log::line_sink sink(file.fd(), 1);
  sink.append("later\n", false);
  // Bounded wait for the background writer, not a timing assertion.
  for (int i = 0; i < 500 && file.contents().empty(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(file.contents(), "later\n");
}

TEST(log_sink, a_full_queue_drops_lines_and_says_how_many) {
  capture_file file;
  {
    bot::log::line_sink sink(file.fd(), 60'000);
    const std::string big(bot::log::line_sink::max_pending - 10, 'x');
    sink.append(big + "\n", false);
    sink.append("dropped one\n", false);
    sink.append("dropped two\n", false);
    sink.flush();
  }
  const auto text = file.contents();
  EXPECT_EQ(text.find("dropped one"), std::string::npos);
  EXPECT_NE(text.find("\"dropped\":2"), std::string::npos);
}

}  // namespace
