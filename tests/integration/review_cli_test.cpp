// `playbook-bot review` and `playbook-bot check-playbook` as an operator runs them: the real
// binary on proposal fixtures, standard input, several files, unreadable documents, bad options
// and bad playbooks, with exit statuses and what is printed where.

#include "bot/review_answer.hpp"
#include "knowledge/playbook.hpp"
#include "tests/integration/spawn.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

struct finished {
  int status = -1;  // exit status; 128 + signal when killed; -1 when it did not finish
  std::string out;
  std::string err;
};

// Runs the binary with args, feeding input on its standard input (closed at once when empty),
// and collects its output until it exits (30 s at most: a hung child is killed and reported
// as -1, never waited on forever).
finished run(std::vector<std::string> args, std::string_view input = {},
             std::map<std::string, std::string> env = {}) {
  int in[2], out[2], err[2];
  if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) throw std::runtime_error("pipe");
  env.emplace("PATH", "/usr/bin:/bin");
  const pid_t pid = test::spawn_bot(std::move(args), env, in[0], out[1], err[1]);
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::signal(SIGPIPE, SIG_IGN);  // the child may exit before reading all of its input
  int to_child = in[1];
  ::fcntl(to_child, F_SETFL, ::fcntl(to_child, F_GETFL) | O_NONBLOCK);
  std::size_t written = 0;
  if (input.empty()) {
    ::close(to_child);
    to_child = -1;
  }

  finished f;
  int from[2] = {out[0], err[0]};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((from[0] >= 0 || from[1] >= 0) && std::chrono::steady_clock::now() < deadline) {
    pollfd fds[3];
    nfds_t n = 0;
    for (int i = 0; i < 2; ++i) fds[n++] = {from[i], POLLIN, 0};
    if (to_child >= 0) fds[n++] = {to_child, POLLOUT, 0};
    if (::poll(fds, n, 100) < 0 && errno != EINTR) break;
    for (int i = 0; i < 2; ++i) {
      if (from[i] < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t got = ::read(from[i], buf, sizeof buf);
      if (got > 0) {
        (i == 0 ? f.out : f.err).append(buf, static_cast<std::size_t>(got));
      } else if (got == 0 || errno != EAGAIN) {
        ::close(from[i]);
        from[i] = -1;
        fds[i].fd = -1;
      }
    }
    if (to_child >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      const ssize_t put = ::write(to_child, input.data() + written, input.size() - written);
      if (put > 0) written += static_cast<std::size_t>(put);
      if (put < 0 && errno != EAGAIN) written = input.size();  // the child closed its end
      if (written == input.size()) {
        ::close(to_child);
        to_child = -1;
      }
    }
  }
  for (int fd : from)
    if (fd >= 0) ::close(fd);
  if (to_child >= 0) ::close(to_child);

  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid, &status, WNOHANG) == pid) {
      f.status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return f;
    }
    ::usleep(10'000);
  }
  ::kill(pid, SIGKILL);
  ::waitpid(pid, nullptr, 0);
  f.status = -1;
  return f;
}

class temp_dir {
 public:
  temp_dir() {
    path_ = fs::temp_directory_path() /
            ("playbook-review-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter_++));
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string file(const std::string& name, std::string_view content) const {
    const auto p = path_ / name;
    std::ofstream(p, std::ios::binary).write(content.data(), static_cast<std::streamsize>(content.size()));
    return p.string();
  }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

const std::string proposals = std::string(PLAYBOOK_FIXTURES) + "/proposals";
const std::string bootcamp = proposals + "/01-northwind-genai-bootcamp.md";
const std::string sprint = proposals + "/02-helix-rag-sprint.md";
const std::string email = proposals + "/04-certwise-ai102-email.txt";

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

json::value parsed(const std::string& text) {
  boost::system::error_code ec;
  auto v = json::parse(text, ec);
  if (ec) throw std::runtime_error("not JSON: " + ec.message() + "\n" + text.substr(0, 400));
  return v;
}

void expect_review_json(const json::value& v) {
  ASSERT_TRUE(v.is_object());
  const auto& o = v.as_object();
  for (const char* key : {"schema_version", "verdict", "score", "category", "red_flags", "coverage",
                          "questions", "document"})
    EXPECT_TRUE(o.contains(key)) << key;
  const std::set<std::string> verdicts = {"proceed", "proceed_with_conditions", "do_not_proceed"};
  EXPECT_EQ(verdicts.count(std::string(o.at("verdict").as_string())), 1u);
  EXPECT_EQ(o.at("coverage").as_array().size(), 8u);
}

std::string verdict_of(const std::string& file) {
  const auto r = run({"review", file, "--format", "json"});
  if (r.status != 0) throw std::runtime_error("review failed: " + r.err);
  return std::string(parsed(r.out).at("verdict").as_string());
}

// --- review ---------------------------------------------------------------------------------

TEST(review_cli, json_of_one_file_is_the_review_object) {
  const auto r = run({"review", bootcamp, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  expect_review_json(parsed(r.out));
  EXPECT_EQ(parsed(r.out).at("document").at("kind").as_string(), "markdown");
}

TEST(review_cli, format_may_come_first_or_with_an_equals_sign) {
  const auto a = run({"review", "--format", "json", sprint});
  const auto b = run({"review", "--format=json", sprint});
  ASSERT_EQ(a.status, 0) << a.err;
  ASSERT_EQ(b.status, 0) << b.err;
  EXPECT_EQ(parsed(a.out), parsed(b.out));
}

TEST(review_cli, text_and_markdown_print_the_verdict) {
  for (const auto& file : {bootcamp, sprint, email}) {
    const auto label = bot::verdict_label(verdict_of(file));
    for (const char* format : {"text", "markdown"}) {
      const auto r = run({"review", file, "--format", format});
      ASSERT_EQ(r.status, 0) << r.err;
      EXPECT_NE(r.out.find(label), std::string::npos) << format << " " << file << ":\n" << r.out;
      EXPECT_NE(r.out.find(fs::path(file).filename().string()), std::string::npos) << format;
    }
  }
  const auto plain = run({"review", bootcamp});
  ASSERT_EQ(plain.status, 0);
  EXPECT_NE(plain.out.find(bot::verdict_label(verdict_of(bootcamp))), std::string::npos);
}

TEST(review_cli, markdown_starts_with_a_heading) {
  const auto r = run({"review", bootcamp, "--format", "markdown"});
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("# ")) << r.out.substr(0, 200);
}

TEST(review_cli, dash_reads_standard_input) {
  const auto content = slurp(bootcamp);
  const auto from_stdin = run({"review", "-", "--format", "json"}, content);
  ASSERT_EQ(from_stdin.status, 0) << from_stdin.err;
  const auto from_file = run({"review", bootcamp, "--format", "json"});
  ASSERT_EQ(from_file.status, 0);
  EXPECT_EQ(parsed(from_stdin.out), parsed(from_file.out));

  const auto text = run({"review", "-"}, content);
  ASSERT_EQ(text.status, 0) << text.err;
  EXPECT_NE(text.out.find("standard input"), std::string::npos);
  EXPECT_NE(text.out.find(bot::verdict_label(verdict_of(bootcamp))), std::string::npos);
}

TEST(review_cli, empty_standard_input_is_an_error) {
  const auto r = run({"review", "-", "--format", "json"});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find("standard input"), std::string::npos) << r.err;
}

TEST(review_cli, several_files_give_an_array_of_file_and_review) {
  const auto r = run({"review", bootcamp, sprint, email, "--format", "json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = parsed(r.out);
  ASSERT_TRUE(v.is_array());
  const auto& all = v.as_array();
  ASSERT_EQ(all.size(), 3u);
  const std::string files[] = {bootcamp, sprint, email};
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(all[i].at("file").as_string(), files[i]);
    expect_review_json(all[i].at("review"));
    const auto alone = run({"review", files[i], "--format", "json"});
    EXPECT_EQ(all[i].at("review"), parsed(alone.out)) << files[i];
  }
}

TEST(review_cli, unreadable_files_exit_1_name_the_file_and_the_good_ones_are_still_reviewed) {
  const temp_dir dir;
  const auto missing = dir.file("placeholder.txt", "x");
  fs::remove(missing);
  const auto empty = dir.file("empty.txt", "");
  std::mt19937 rng(42);
  std::string noise(4096, '\0');
  for (auto& c : noise) c = static_cast<char>(rng() & 0xFF);
  noise[0] = '\x01';  // never mistaken for a PDF or ZIP header
  const auto binary = dir.file("noise.bin", noise);

  const auto r = run({"review", bootcamp, missing, empty, binary, sprint, "--format", "json"});
  EXPECT_EQ(r.status, 1);
  for (const auto& bad : {missing, empty, binary}) EXPECT_NE(r.err.find(bad), std::string::npos) << bad << "\n" << r.err;
  EXPECT_EQ(r.err.find(bootcamp), std::string::npos) << r.err;
  const auto v = parsed(r.out);
  ASSERT_TRUE(v.is_array());
  std::set<std::string> reviewed;
  for (const auto& e : v.as_array()) reviewed.insert(std::string(e.at("file").as_string()));
  EXPECT_EQ(reviewed, (std::set<std::string>{bootcamp, sprint}));

  const auto text = run({"review", missing, bootcamp});
  EXPECT_EQ(text.status, 1);
  EXPECT_NE(text.err.find(missing), std::string::npos);
  EXPECT_NE(text.out.find(bot::verdict_label(verdict_of(bootcamp))), std::string::npos);
}

TEST(review_cli, each_kind_of_unreadable_file_alone_exits_1) {
  const temp_dir dir;
  const auto missing = (fs::temp_directory_path() / "playbook-review-cli-no-such-file.md").string();
  const auto empty = dir.file("zero.md", "");
  const auto binary = dir.file("random.pdf", std::string("\x00\x01\x02\xFF\xFE garbage \x00", 16));
  const auto truncated = dir.file("truncated.pdf", "%PDF-1.4\n1 0 obj << /Type /Catalog");
  for (const auto& bad : {missing, empty, binary, truncated}) {
    for (const char* format : {"json", "text"}) {
      const auto r = run({"review", bad, "--format", format});
      EXPECT_EQ(r.status, 1) << bad << " " << format;
      EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
    }
  }
}

TEST(review_cli, documents_over_the_size_setting_are_refused_naming_the_limit) {
  const auto r = run({"review", bootcamp}, {}, {{"PLAYBOOK_MAX_DOCUMENT_BYTES", "100"}});
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.err.find(bootcamp), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("100"), std::string::npos) << r.err;
  const auto ok = run({"review", bootcamp}, {}, {{"PLAYBOOK_MAX_DOCUMENT_BYTES", "1000000"}});
  EXPECT_EQ(ok.status, 0) << ok.err;
}

TEST(review_cli, a_bad_format_exits_2) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"review", bootcamp, "--format", "yaml"},
           {"review", bootcamp, "--format=html"},
           {"review", bootcamp, "--format"}}) {
    const auto r = run(args);
    EXPECT_EQ(r.status, 2) << args.back();
    EXPECT_NE(r.err.find("format"), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty());
  }
}

TEST(review_cli, no_file_exits_2) {
  const auto r = run({"review"});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(r.err.empty());
}

TEST(review_cli, every_fixture_is_reviewed) {
  std::vector<std::string> args = {"review", "--format", "json"};
  std::size_t n = 0;
  for (const auto& e : fs::directory_iterator(proposals)) {
    if (e.path().filename() == "labels.json") continue;
    args.push_back(e.path().string());
    ++n;
  }
  ASSERT_GE(n, 40u);
  const auto r = run(args);
  ASSERT_EQ(r.status, 0) << r.err;
  const auto v = parsed(r.out);
  ASSERT_EQ(v.as_array().size(), n);
  for (const auto& e : v.as_array()) expect_review_json(e.at("review"));
}

TEST(review_cli, a_bad_playbook_file_stops_the_review_and_names_the_rule) {
  const temp_dir dir;
  auto v = parsed(std::string(knowledge::embedded_playbook_json()));
  auto& flag = v.at("review").at("flags").as_array().at(0).as_object();
  const std::string id(flag.at("id").as_string());
  flag["when"] = json::object{{"kind", "regex"}, {"phrases", {"x"}}};
  const auto bad = dir.file("bad-playbook.json", json::serialize(v));
  const auto r = run({"review", bootcamp, "--format", "json"}, {}, {{"PLAYBOOK_FILE", bad}});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find(id), std::string::npos) << r.err;
  EXPECT_TRUE(r.out.empty()) << r.out.substr(0, 200);
}

// --- check-playbook -------------------------------------------------------------------------

TEST(check_playbook_cli, the_shipped_playbook_is_valid_and_every_rule_is_printed) {
  const auto r = run({"check-playbook", std::string(PLAYBOOK_SOURCE_DIR) + "/knowledge/playbook.json"});
  ASSERT_EQ(r.status, 0) << r.err;
  const auto book = knowledge::load_playbook("").value();
  for (const auto& f : book.review.flags) EXPECT_NE(r.out.find(f.id), std::string::npos) << f.id;
  for (const auto& c : book.review.coverage) EXPECT_NE(r.out.find(c.id), std::string::npos) << c.id;
  for (const auto& c : book.review.categories) EXPECT_NE(r.out.find(c.id), std::string::npos) << c.id;
}

TEST(check_playbook_cli, an_unknown_condition_kind_fails_and_names_the_rule) {
  const temp_dir dir;
  auto v = parsed(std::string(knowledge::embedded_playbook_json()));
  auto& flags = v.at("review").at("flags").as_array();
  auto& flag = flags.at(2).as_object();
  const std::string id(flag.at("id").as_string());
  flag["when"] = json::object{{"kind", "telepathy"}, {"phrases", {"capstone"}}};
  const auto bad = dir.file("bad.json", json::serialize(v));
  const auto r = run({"check-playbook", bad});
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.err.find(id), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("telepathy"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/review/flags/2/when/kind"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(bad), std::string::npos) << r.err;
}

TEST(check_playbook_cli, unreadable_or_missing_files_fail) {
  const temp_dir dir;
  const auto not_json = dir.file("not.json", "{ this is not json");
  for (const auto& file : {not_json, std::string("/nonexistent/playbook.json")}) {
    const auto r = run({"check-playbook", file});
    EXPECT_NE(r.status, 0) << file;
    EXPECT_NE(r.err.find(file), std::string::npos) << r.err;
  }
  EXPECT_NE(run({"check-playbook"}).status, 0);
}

}  // namespace

TEST(review_cli, vendor_stores_the_review_in_the_decision_log) {
  const auto dir = fs::temp_directory_path() / ("review-cli-vendor-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const std::map<std::string, std::string> env = {{"PLAYBOOK_DB", (dir / "playbook.db").string()}};
  const auto reviewed = run({"review", "--vendor", "BrightPath Learning", proposals + "/03-brightpath-seat-license.md"}, {}, env);
  EXPECT_EQ(reviewed.status, 0) << reviewed.err;
  EXPECT_NE(reviewed.err.find("stored 1 review for BrightPath Learning"), std::string::npos) << reviewed.err;
  const auto shown = run({"decisions", "show", "brightpath learning"}, {}, env);
  EXPECT_EQ(shown.status, 0) << shown.err;
  EXPECT_NE(shown.out.find("Latest review: do not proceed"), std::string::npos) << shown.out;
  const auto bad = run({"review", "--vendor", "@channel", proposals + "/03-brightpath-seat-license.md"}, {}, env);
  EXPECT_EQ(bad.status, 2);
  fs::remove_all(dir);
}
