// bench_tickets: the ticket webhook pipeline under load, through the real executable. A fake
// GitHub API on loopback (tests/integration/fake_trackers) knows 10,000 issues; `playbook-bot
// serve` is started against it with a fresh database; after a short warm-up, 32 client threads,
// each with one kept-alive connection, send their share of 10,000 pre-signed `issues` / `opened`
// webhooks (one per issue, each its own X-GitHub-Delivery) as fast as the answers come. Measured:
//   - the acknowledgement latency of every webhook (request written → 202 read): p50/p90/p99/max,
//     and webhooks/s;
//   - the time from the first webhook to the moment the fake holds exactly one review comment on
//     every issue, and comments/s; the latency from a webhook's 202 to its comment;
//   - the bot's peak RSS (VmHWM) and CPU time, and the database's size.
// Checked: every answer is 202 "queued"; each issue ends with one comment, carrying the marker;
// no API call failed; re-sending 1,000 of the same deliveries answers 202 "duplicate" and makes
// no API call and no comment. Each run starts from nothing (new fake, new bot, new database);
// after the runs the medians are printed.
//
// Usage: bench_tickets [--runs N] [--webhooks N] [--connections N] [--resend N]
//                      [--timeout SECONDS] [--keep] [--dump FILE] [--rate PER_SECOND]
// --rate offers the webhooks on a schedule instead (open loop, latency from the scheduled time):
// the acknowledgement latency at a given load rather than at saturation.
// --dump writes each webhook's send and acknowledgement times (CLOCK_MONOTONIC seconds) and
// latency, to line up with `perf record -k CLOCK_MONOTONIC -p <bot pid>`.
// The bot logs at warn to <temp>/bot.log (kept with --keep). PLAYBOOK_THREADS, PLAYBOOK_DB_SYNC
// and PLAYBOOK_LOG_LEVEL in the environment are passed on to the bot (for experiments).

#include "integrations/github/webhook.hpp"
#include "integrations/tickets/marker.hpp"
#include "tests/integration/fake_trackers.hpp"
#include "tests/integration/spawn.hpp"
#include "tests/integration/test_client.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <boost/json.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace fs = std::filesystem;
namespace json = boost::json;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view secret = "bench-tickets-webhook-secret";
constexpr std::string_view token = "bench-tickets-github-token";
constexpr std::string_view repo = "acme-corp/procurement";
constexpr std::uint64_t first_issue = 1000;     // the measured issues: 1000 ...
constexpr std::uint64_t warmup_issue = 900000;  // the warm-up's: 900000 ...
constexpr std::size_t warmup_hooks = 8;

struct options {
  std::size_t runs = 3;
  std::size_t webhooks = 10'000;
  std::size_t connections = 32;
  std::size_t resend = 1'000;
  int timeout_s = 600;
  bool keep = false;
  std::string dump;  // "": none; else each webhook's send and ack times are written there
  double rate = 0;   // webhooks/s offered in all (open loop); 0: as fast as the answers come
};

double ms_since(clock_type::time_point from, clock_type::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// One signed delivery, ready to send.
struct hook {
  std::uint64_t number = 0;
  std::string key;  // "acme-corp/procurement#1000", as the fake keys comments
  std::string delivery;
  std::string signature;
  std::string body;
};

// The fixture with issue.number (and everything that names it) rewritten: a distinct issue.
hook make_hook(const json::value& fixture, const integrations::github::webhook_verifier& signer,
               std::uint64_t number, std::uint64_t salt) {
  json::value v = fixture;
  auto& issue = v.as_object().at("issue").as_object();
  const std::string n = std::to_string(number);
  const std::string api = "https://api.github.com/repos/" + std::string(repo) + "/issues/" + n;
  issue["number"] = number;
  issue["id"] = 2'900'000'000 + number;
  issue["node_id"] = "I_bench" + n;
  issue["url"] = api;
  issue["labels_url"] = api + "/labels{/name}";
  issue["comments_url"] = api + "/comments";
  issue["events_url"] = api + "/events";
  issue["timeline_url"] = api + "/timeline";
  issue["html_url"] = "https://github.com/" + std::string(repo) + "/issues/" + n;
  if (auto* r = issue.if_contains("reactions"); r && r->is_object()) r->as_object()["url"] = api + "/reactions";
  issue["title"] = std::string(issue["title"].as_string()) + " (request " + n + ")";
  hook h;
  h.number = number;
  h.key = std::string(repo) + "#" + n;
  char id[64];
  std::snprintf(id, sizeof id, "%08llx-b3c4-11f0-8de9-%012llx", static_cast<unsigned long long>(salt & 0xffffffff),
                static_cast<unsigned long long>(number));
  h.delivery = id;
  h.body = json::serialize(v);
  h.signature = signer.sign(h.body);
  return h;
}

test::request make_request(const hook& h) {
  test::request req{boost::beast::http::verb::post, "/hooks/github", 11};
  req.set(boost::beast::http::field::host, "127.0.0.1");
  req.set(boost::beast::http::field::user_agent, "GitHub-Hookshot/bench");
  req.set(boost::beast::http::field::content_type, "application/json");
  req.set("X-GitHub-Event", "issues");
  req.set("X-GitHub-Delivery", h.delivery);
  req.set("X-GitHub-Hook-ID", "512345678");
  req.set("X-Hub-Signature-256", h.signature);
  req.keep_alive(true);
  req.body() = h.body;
  req.prepare_payload();
  return req;
}

std::string answer_status(const test::response& res) {
  boost::system::error_code ec;
  const auto v = json::parse(res.body(), ec);
  if (ec || !v.is_object()) return "";
  const auto* s = v.as_object().if_contains("status");
  return s && s->is_string() ? std::string(s->as_string()) : "";
}

std::uint16_t free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
    ::close(fd);
    throw std::runtime_error("no free port");
  }
  ::close(fd);
  return ntohs(addr.sin_port);
}

// A field of /proc/<pid>/status in kB ("VmHWM", "VmRSS"); 0 when unreadable.
long proc_status_kb(pid_t pid, std::string_view field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(field) && line.size() > field.size() && line[field.size()] == ':')
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  return 0;
}

// User + system CPU seconds of a process, or of one of its threads.
double proc_cpu_s(pid_t pid, pid_t tid = 0) {
  const auto stat = read_file("/proc/" + std::to_string(pid) + (tid ? "/task/" + std::to_string(tid) : "") + "/stat");
  const auto close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return 0;
  std::istringstream in(stat.substr(close_paren + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && in >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

// CPU seconds of each thread of a process, by thread id.
std::map<pid_t, double> thread_cpu(pid_t pid) {
  std::map<pid_t, double> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/task", ec)) {
    const auto tid = static_cast<pid_t>(std::stol(e.path().filename().string()));
    out[tid] = proc_cpu_s(pid, tid);
  }
  return out;
}

std::uintmax_t file_size_or_0(const fs::path& p) {
  std::error_code ec;
  const auto n = fs::file_size(p, ec);
  return ec ? 0 : n;
}

double loadavg1() {
  double l = 0;
  std::ifstream("/proc/loadavg") >> l;
  return l;
}

double pct(std::vector<double>& sorted, double q) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// The bot as a child process, logging to a file; stopped with SIGTERM (SIGKILL if it hangs).
class bot_process {
 public:
  bot_process(const fs::path& dir, const std::string& api_url) : dir_(dir) {
    port_ = free_port();
    std::map<std::string, std::string> env = {
        {"PLAYBOOK_LISTEN", "127.0.0.1:" + std::to_string(port_)},
        {"PLAYBOOK_DB", (dir / "playbook.db").string()},
        {"PLAYBOOK_LOG_LEVEL", "warn"},
        {"GITHUB_WEBHOOK_SECRET", std::string(secret)},
        {"GITHUB_TOKEN", std::string(token)},
        {"GITHUB_API_URL", api_url}};
    for (const char* pass : {"PLAYBOOK_THREADS", "PLAYBOOK_DB_SYNC", "PLAYBOOK_LOG_LEVEL"})
      if (const char* v = std::getenv(pass)) env[pass] = v;
    const int log = ::open((dir / "bot.log").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int null = ::open("/dev/null", O_RDWR);
    pid_ = test::spawn_bot({"serve"}, env, null, null, log);
    ::close(log);
    ::close(null);
    // Listening when a connection is accepted (the "listening" line is info, below warn).
    const auto deadline = clock_type::now() + std::chrono::seconds(30);
    while (clock_type::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        throw std::runtime_error("playbook-bot exited at start-up:\n" + read_file(dir / "bot.log"));
      }
      try {
        test::connection probe(port_);
        return;
      } catch (const std::exception&) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
    throw std::runtime_error("playbook-bot did not listen within 30 s:\n" + read_file(dir / "bot.log"));
  }

  ~bot_process() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }

  // SIGTERM and the exit status (128 + signal when killed after 20 s).
  int stop() {
    ::kill(pid_, SIGTERM);
    const auto deadline = clock_type::now() + std::chrono::seconds(20);
    int status = 0;
    while (clock_type::now() < deadline) {
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        pid_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
    return 128 + SIGKILL;
  }

  pid_t pid() const { return pid_; }
  std::uint16_t port() const { return port_; }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  std::uint16_t port_ = 0;
};

// Sends hooks[i] for the given indexes over `connections` kept-alive connections, as fast as the
// answers come; every index's latency (ms) and the answer's status ("queued", "duplicate", or
// "HTTP <code>: <body>" / "error: ..." for anything else).
struct send_result {
  std::vector<double> latency_ms;  // by position in `order`
  std::vector<std::string> answer;
  std::vector<clock_type::time_point> sent_at, acked_at;
  clock_type::time_point start, end;
};

// With rate > 0 the webhooks go out on a schedule (webhook i at start + i / rate), and a latency
// counts from the scheduled time, so a late answer also delays (and counts against) the next.
send_result send_all(std::uint16_t port, const std::vector<hook>& hooks, const std::vector<std::size_t>& order,
                     std::size_t connections, double rate = 0) {
  send_result r;
  r.latency_ms.assign(order.size(), -1);
  r.answer.assign(order.size(), "");
  r.acked_at.assign(order.size(), {});
  r.sent_at.assign(order.size(), {});
  std::atomic<std::size_t> ready{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < connections; ++t) {
    threads.emplace_back([&, t] {
      std::optional<test::connection> c;
      try {
        c.emplace(port);
      } catch (const std::exception& e) {
        std::fprintf(stderr, "connection %zu: %s\n", t, e.what());
      }
      ++ready;
      while (!go.load()) std::this_thread::yield();
      // Interleaved shares: every connection works through the whole range at once.
      for (std::size_t i = t; i < order.size(); i += connections) {
        auto req = make_request(hooks[order[i]]);
        auto t0 = clock_type::now();
        if (rate > 0) {
          const auto due = r.start + std::chrono::duration_cast<clock_type::duration>(
                                         std::chrono::duration<double>(static_cast<double>(i) / rate));
          std::this_thread::sleep_until(due);
          t0 = due;
        }
        r.sent_at[i] = t0;
        try {
          if (!c) c.emplace(port);
          const auto res = c->round_trip(std::move(req));
          r.acked_at[i] = clock_type::now();
          r.latency_ms[i] = ms_since(t0, r.acked_at[i]);
          if (res.result_int() == 202) {
            r.answer[i] = answer_status(res);
          } else {
            r.answer[i] = "HTTP " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 200);
          }
          if (!res.keep_alive()) c.reset();
        } catch (const std::exception& e) {
          r.latency_ms[i] = ms_since(t0, clock_type::now());
          r.answer[i] = std::string("error: ") + e.what();
          c.reset();
        }
      }
    });
  }
  while (ready.load() < connections) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  r.start = clock_type::now();
  go = true;
  for (auto& th : threads) th.join();
  r.end = clock_type::now();
  return r;
}

// Counts of the answers other than `expected`, with one example each.
std::map<std::string, std::size_t> unexpected(const std::vector<std::string>& answers, std::string_view expected) {
  std::map<std::string, std::size_t> out;
  for (const auto& a : answers)
    if (a != expected) ++out[a.substr(0, 120)];
  return out;
}

struct queue_counts {
  long long inbox_pending = -1, outbox_pending = -1, outbox_delivered = -1, outbox_failed = -1;
};

queue_counts read_queues(const fs::path& db) {
  queue_counts q;
  try {
    SQLite::Database d(db.string(), SQLite::OPEN_READONLY);
    d.setBusyTimeout(1000);
    q.inbox_pending = d.execAndGet("SELECT count(*) FROM inbox WHERE state = 'pending'").getInt64();
    q.outbox_pending = d.execAndGet("SELECT count(*) FROM outbox WHERE state = 'pending'").getInt64();
    q.outbox_delivered = d.execAndGet("SELECT count(*) FROM outbox WHERE state = 'delivered'").getInt64();
    q.outbox_failed = d.execAndGet("SELECT count(*) FROM outbox WHERE state = 'failed'").getInt64();
  } catch (const std::exception&) {
  }
  return q;
}

struct run_result {
  double p50 = 0, p90 = 0, p99 = 0, max = 0, webhooks_per_s = 0;
  double all_posted_s = 0, comments_per_s = 0;
  double e2e_p50_s = 0, e2e_p99_s = 0, e2e_max_s = 0;  // a webhook's 202 → its comment seen
  double dup_p50 = 0, dup_p99 = 0, dup_per_s = 0;
  double rss_mb = 0, cpu_s = 0, db_mb = 0, wal_mb = 0, db_after_stop_mb = 0;
  std::vector<std::string> problems;
};

run_result run_once(const options& opt, const json::value& fixture, std::size_t run_no) {
  run_result out;
  const auto dir = fs::temp_directory_path() /
                   ("playbook-bench-tickets-" + std::to_string(::getpid()) + "-" + std::to_string(run_no));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const auto db_path = dir / "playbook.db";

  const integrations::github::webhook_verifier signer(secret);
  const auto salt = static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()) + run_no;
  std::vector<hook> hooks, warm;
  hooks.reserve(opt.webhooks);
  for (std::size_t i = 0; i < opt.webhooks; ++i) hooks.push_back(make_hook(fixture, signer, first_issue + i, salt));
  for (std::size_t i = 0; i < warmup_hooks; ++i) warm.push_back(make_hook(fixture, signer, warmup_issue + i, salt));

  const auto& fixture_issue = fixture.as_object().at("issue").as_object();
  const std::string fixture_body(fixture_issue.at("body").as_string());
  test::fake_github gh{std::string(token)};
  for (const auto* list : {&hooks, &warm})
    for (const auto& h : *list)
      gh.add_issue(std::string(repo), h.number,
                   {.title = "request " + std::to_string(h.number), .body = fixture_body,
                    .labels = {"procurement", "ai-training"}});

  bot_process bot(dir, gh.api_url());
  std::fprintf(stderr, "run %zu: bot pid %d on port %u, fake GitHub at %s, %s\n", run_no, bot.pid(), bot.port(),
               gh.api_url().c_str(), dir.c_str());

  // Warm-up: a few webhooks, each through to its comment.
  {
    std::vector<std::size_t> order(warm.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    const auto w = send_all(bot.port(), warm, order, 2);
    for (const auto& [a, n] : unexpected(w.answer, "queued"))
      out.problems.push_back("warm-up: " + std::to_string(n) + " answered " + a);
    const auto deadline = clock_type::now() + std::chrono::seconds(60);
    for (const auto& h : warm)
      while (gh.comments(h.key).empty() && clock_type::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    for (const auto& h : warm)
      if (gh.comments(h.key).size() != 1)
        out.problems.push_back("warm-up: " + h.key + " has " + std::to_string(gh.comments(h.key).size()) + " comments");
    gh.clear_calls();
  }

  // The measured run; a poller notes when each issue's first comment appears.
  std::vector<std::size_t> order(hooks.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::vector<clock_type::time_point> seen(hooks.size());
  std::atomic<bool> sending_done{false};
  const double cpu_before = proc_cpu_s(bot.pid());
  const auto t_begin = clock_type::now();
  std::atomic<bool> all_seen{false};
  std::atomic<bool> timed_out{false};
  std::thread poller([&] {
    std::vector<std::size_t> pending = order;
    auto next_report = clock_type::now() + std::chrono::seconds(5);
    const auto deadline = clock_type::now() + std::chrono::seconds(opt.timeout_s);
    auto next_full_scan = clock_type::now();
    while (!pending.empty()) {
      const auto now = clock_type::now();
      // Comments come roughly in the order the webhooks went: a quick scan stops after a run of
      // issues still waiting, and a full one every second catches any that came out of order (a
      // full scan every 20 ms would take CPU from the bot while the webhooks are being sent).
      const bool full = now >= next_full_scan;
      if (full) next_full_scan = now + std::chrono::seconds(1);
      std::size_t misses = 0;
      std::vector<std::size_t> still;
      still.reserve(pending.size());
      for (std::size_t k = 0; k < pending.size(); ++k) {
        const auto i = pending[k];
        if (!full && misses >= 64) {
          still.push_back(i);
          continue;
        }
        if (gh.comments(hooks[i].key).empty()) {
          ++misses;
          still.push_back(i);
        } else {
          seen[i] = now;
        }
      }
      pending.swap(still);
      if (now >= next_report) {
        const auto q = read_queues(db_path);
        std::fprintf(stderr,
                     "  t=%5.1f s: %zu/%zu comments; inbox pending %lld, outbox pending %lld, failed %lld; "
                     "bot RSS %.0f MB, CPU %.1f s%s\n",
                     ms_since(t_begin, now) / 1000, hooks.size() - pending.size(), hooks.size(), q.inbox_pending,
                     q.outbox_pending, q.outbox_failed, static_cast<double>(proc_status_kb(bot.pid(), "VmRSS")) / 1024,
                     proc_cpu_s(bot.pid()) - cpu_before, sending_done ? "" : " (sending)");
        next_report = now + std::chrono::seconds(5);
      }
      if (now >= deadline) {
        timed_out = true;
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    all_seen = pending.empty();
  });
  const double self_cpu_before = proc_cpu_s(::getpid());
  const auto threads_before = thread_cpu(bot.pid());
  const double bot_cpu_before_send = proc_cpu_s(bot.pid());
  const auto sent = send_all(bot.port(), hooks, order, opt.connections, opt.rate);
  sending_done = true;
  {
    // Who used the CPU while the webhooks were sent (the machine has nproc cores for all of it).
    const double wall = ms_since(sent.start, sent.end) / 1000;
    const auto threads_after = thread_cpu(bot.pid());
    std::vector<std::pair<double, pid_t>> busy;
    for (const auto& [tid, cpu] : threads_after) {
      const auto b = threads_before.find(tid);
      busy.emplace_back(cpu - (b == threads_before.end() ? 0 : b->second), tid);
    }
    std::sort(busy.rbegin(), busy.rend());
    std::fprintf(stderr, "  while sending (%.1f s): bot CPU %.1f s, bench process (clients, fake, poller) %.1f s; "
                 "busiest bot threads:", wall, proc_cpu_s(bot.pid()) - bot_cpu_before_send,
                 proc_cpu_s(::getpid()) - self_cpu_before);
    for (std::size_t k = 0; k < std::min<std::size_t>(8, busy.size()); ++k)
      std::fprintf(stderr, " %d %.1f s;", busy[k].second, busy[k].first);
    std::fprintf(stderr, "\n");
  }
  if (!opt.dump.empty()) {
    // Seconds on CLOCK_MONOTONIC (steady_clock), to line up with `perf record -k CLOCK_MONOTONIC`.
    std::ofstream d(opt.dump);
    const auto s = [](clock_type::time_point t) { return std::chrono::duration<double>(t.time_since_epoch()).count(); };
    d.precision(6);
    d << std::fixed;
    for (std::size_t i = 0; i < hooks.size(); ++i)
      d << i << ' ' << s(sent.sent_at[i]) << ' ' << s(sent.acked_at[i]) << ' ' << sent.latency_ms[i] << '\n';
  }
  poller.join();
  const double cpu_after = proc_cpu_s(bot.pid());

  auto lat = sent.latency_ms;
  std::erase_if(lat, [](double v) { return v < 0; });
  std::sort(lat.begin(), lat.end());
  out.p50 = pct(lat, 0.50);
  out.p90 = pct(lat, 0.90);
  out.p99 = pct(lat, 0.99);
  out.max = lat.empty() ? 0 : lat.back();
  out.webhooks_per_s = static_cast<double>(hooks.size()) / (ms_since(sent.start, sent.end) / 1000);
  for (const auto& [a, n] : unexpected(sent.answer, "queued"))
    out.problems.push_back(std::to_string(n) + " webhooks answered " + a);
  {
    // The slowest acknowledgements: when in the run they happened.
    std::vector<std::pair<double, std::size_t>> slow;
    for (std::size_t i = 0; i < sent.latency_ms.size(); ++i) slow.emplace_back(sent.latency_ms[i], i);
    std::partial_sort(slow.begin(), slow.begin() + std::min<std::size_t>(5, slow.size()), slow.end(),
                      std::greater<>());
    std::fprintf(stderr, "  slowest acknowledgements:");
    for (std::size_t k = 0; k < std::min<std::size_t>(5, slow.size()); ++k)
      std::fprintf(stderr, " %.1f ms (#%zu)", slow[k].first, slow[k].second);
    std::fprintf(stderr, "\n");
  }

  if (!all_seen) {
    std::size_t missing = 0;
    for (std::size_t i = 0; i < hooks.size(); ++i)
      if (seen[i] == clock_type::time_point{}) ++missing;
    out.problems.push_back(std::to_string(missing) + " issues without a comment after " +
                           std::to_string(opt.timeout_s) + " s" + (timed_out ? " (timeout)" : ""));
  } else {
    const auto last = *std::max_element(seen.begin(), seen.end());
    out.all_posted_s = ms_since(sent.start, last) / 1000;
    out.comments_per_s = static_cast<double>(hooks.size()) / out.all_posted_s;
  }
  {
    // A webhook's 202 → its comment seen by the poller (20 ms granularity).
    std::vector<double> e2e;
    for (std::size_t i = 0; i < hooks.size(); ++i)
      if (seen[i] != clock_type::time_point{} && sent.acked_at[i] != clock_type::time_point{})
        e2e.push_back(std::max(0.0, ms_since(sent.acked_at[i], seen[i]) / 1000));
    std::sort(e2e.begin(), e2e.end());
    out.e2e_p50_s = pct(e2e, 0.5);
    out.e2e_p99_s = pct(e2e, 0.99);
    out.e2e_max_s = e2e.empty() ? 0 : e2e.back();
  }

  // Nothing more arrives late: exactly one comment per issue, with the marker.
  std::this_thread::sleep_for(std::chrono::seconds(2));
  std::size_t doubled = 0, none = 0, unmarked = 0, edited = 0;
  for (const auto& h : hooks) {
    const auto cs = gh.comments(h.key);
    if (cs.empty()) ++none;
    if (cs.size() > 1) ++doubled;
    for (const auto& c : cs) {
      if (!c.body.starts_with(integrations::tickets::review_marker) &&
          c.body.find(integrations::tickets::review_marker) == std::string::npos)
        ++unmarked;
      if (c.updates > 0) ++edited;
    }
  }
  if (doubled) out.problems.push_back(std::to_string(doubled) + " issues with more than one comment");
  if (none && all_seen) out.problems.push_back(std::to_string(none) + " issues lost their comment");
  if (unmarked) out.problems.push_back(std::to_string(unmarked) + " comments without the marker");
  std::map<std::string, std::size_t> by_kind;
  std::size_t api_failures = 0;
  for (const auto& c : gh.calls()) {
    const auto p = c.path();
    const bool comment_path = p.ends_with("/comments");
    const std::string kind = c.method + (comment_path ? " .../comments" : p.find("/comments/") != std::string::npos
                                                                              ? " .../comments/{id}"
                                                                              : " .../issues/{n}");
    ++by_kind[kind];
    if (c.status < 200 || c.status >= 300) ++api_failures;
  }
  std::string calls_line;
  for (const auto& [k, n] : by_kind) calls_line += (calls_line.empty() ? "" : ", ") + k + " " + std::to_string(n);
  std::fprintf(stderr, "  API calls: %s; comments edited: %zu\n", calls_line.c_str(), edited);
  if (api_failures) out.problems.push_back(std::to_string(api_failures) + " API calls answered other than 2xx");

  // Re-delivery: the same bytes and delivery ids → "duplicate", and no API call.
  {
    const std::size_t before = gh.calls().size();
    std::vector<std::size_t> again;
    const std::size_t n = std::min(opt.resend, hooks.size());
    for (std::size_t k = 0; k < n; ++k) again.push_back(k * hooks.size() / n);
    const auto dup = send_all(bot.port(), hooks, again, opt.connections);
    for (const auto& [a, count] : unexpected(dup.answer, "duplicate"))
      out.problems.push_back("re-sent: " + std::to_string(count) + " answered " + a);
    auto dl = dup.latency_ms;
    std::sort(dl.begin(), dl.end());
    out.dup_p50 = pct(dl, 0.50);
    out.dup_p99 = pct(dl, 0.99);
    out.dup_per_s = static_cast<double>(again.size()) / (ms_since(dup.start, dup.end) / 1000);
    std::this_thread::sleep_for(std::chrono::seconds(3));
    const std::size_t after = gh.calls().size();
    if (after != before)
      out.problems.push_back("re-sent deliveries made " + std::to_string(after - before) + " API calls");
    std::size_t extra = 0;
    for (const auto i : again)
      if (gh.comments(hooks[i].key).size() != 1) ++extra;
    if (extra) out.problems.push_back("after re-sending, " + std::to_string(extra) + " issues do not have one comment");
  }

  const auto q = read_queues(db_path);
  if (q.inbox_pending != 0 || q.outbox_pending != 0 || q.outbox_failed != 0)
    out.problems.push_back("queues not empty: inbox pending " + std::to_string(q.inbox_pending) + ", outbox pending " +
                           std::to_string(q.outbox_pending) + ", outbox failed " + std::to_string(q.outbox_failed));
  if (q.outbox_delivered != static_cast<long long>(hooks.size() + warm.size()))
    out.problems.push_back("outbox delivered " + std::to_string(q.outbox_delivered) + ", expected " +
                           std::to_string(hooks.size() + warm.size()));

  out.rss_mb = static_cast<double>(proc_status_kb(bot.pid(), "VmHWM")) / 1024;
  out.cpu_s = cpu_after - cpu_before;
  out.db_mb = static_cast<double>(file_size_or_0(db_path)) / (1 << 20);
  out.wal_mb = static_cast<double>(file_size_or_0(dir / "playbook.db-wal")) / (1 << 20);
  const int status = bot.stop();
  if (status != 0) out.problems.push_back("playbook-bot exited with status " + std::to_string(status) + " on SIGTERM");
  out.db_after_stop_mb = static_cast<double>(file_size_or_0(db_path)) / (1 << 20);

  // What the bot complained about (it logs at warn: only problems).
  {
    std::ifstream log(dir / "bot.log");
    std::size_t lines = 0;
    std::map<std::string, std::size_t> msgs;
    for (std::string line; std::getline(log, line);) {
      ++lines;
      boost::system::error_code ec;
      const auto v = json::parse(line, ec);
      std::string msg = line.substr(0, 100);
      if (!ec && v.is_object())
        if (const auto* m = v.as_object().if_contains("msg"); m && m->is_string()) msg = std::string(m->as_string());
      ++msgs[msg];
    }
    for (const auto& [m, n] : msgs) std::fprintf(stderr, "  bot log: %zu x \"%s\"\n", n, m.c_str());
  }
  if (!opt.keep) fs::remove_all(dir);
  return out;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  options opt;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    const auto next = [&]() -> long {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      return std::strtol(argv[++i], nullptr, 10);
    };
    if (a == "--runs") opt.runs = static_cast<std::size_t>(next());
    else if (a == "--webhooks") opt.webhooks = static_cast<std::size_t>(next());
    else if (a == "--connections") opt.connections = static_cast<std::size_t>(next());
    else if (a == "--resend") opt.resend = static_cast<std::size_t>(next());
    else if (a == "--timeout") opt.timeout_s = static_cast<int>(next());
    else if (a == "--keep") opt.keep = true;
    else if (a == "--dump" && i + 1 < argc) opt.dump = argv[++i];
    else if (a == "--rate" && i + 1 < argc) opt.rate = std::strtod(argv[++i], nullptr);
    else {
      std::fprintf(stderr,
                   "usage: bench_tickets [--runs N] [--webhooks N] [--connections N] [--resend N] "
                   "[--timeout SECONDS] [--keep] [--dump FILE] [--rate PER_SECOND]\n");
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  const auto fixture = json::parse(read_file(fs::path(PLAYBOOK_FIXTURES) / "tickets/github/issues.opened.json"));

  std::printf("Ticket webhooks: %zu signed GitHub `issues` opened deliveries (%zu bytes each) over %zu kept-alive "
              "connections to playbook-bot serve%s; fake GitHub API on loopback; %zu run(s)\n",
              opt.webhooks, make_hook(fixture, integrations::github::webhook_verifier(secret), first_issue, 0).body.size(),
              opt.connections,
              opt.rate > 0 ? (", offered at " + std::to_string(static_cast<int>(opt.rate)) + "/s").c_str()
                           : " (each sends as soon as its answer is in)",
              opt.runs);
  std::vector<run_result> results;
  bool ok = true;
  for (std::size_t r = 1; r <= opt.runs; ++r) {
    const double load = loadavg1();
    const auto res = run_once(opt, fixture, r);
    std::printf(
        "run %zu (load %.2f): ack p50 %.2f p90 %.2f p99 %.2f max %.1f ms, %.0f webhooks/s; all %zu comments "
        "posted after %.1f s (%.0f comments/s; 202 → comment p50 %.1f s, p99 %.1f s); re-sent (duplicates) p50 %.2f p99 %.2f ms, %.0f/s; "
        "bot peak RSS %.0f MB, CPU %.1f s; database %.1f MB + WAL %.1f MB (%.1f MB after stop)\n",
        r, load, res.p50, res.p90, res.p99, res.max, res.webhooks_per_s, opt.webhooks, res.all_posted_s,
        res.comments_per_s, res.e2e_p50_s, res.e2e_p99_s, res.dup_p50, res.dup_p99, res.dup_per_s, res.rss_mb, res.cpu_s, res.db_mb, res.wal_mb,
        res.db_after_stop_mb);
    for (const auto& p : res.problems) std::printf("  PROBLEM: %s\n", p.c_str());
    ok = ok && res.problems.empty();
    std::fflush(stdout);
    results.push_back(res);
  }
  const auto med = [&](double run_result::* f) {
    std::vector<double> v;
    for (const auto& r : results) v.push_back(r.*f);
    return median(v);
  };
  std::printf("Median of %zu run(s):\n", results.size());
  std::printf("  webhook acknowledgement      p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.1f ms  (target p99 <= 20 ms: %s)\n",
              med(&run_result::p50), med(&run_result::p90), med(&run_result::p99), med(&run_result::max),
              med(&run_result::p99) <= 20 ? "met" : "MISSED");
  std::printf("  webhooks acknowledged        %.0f /s\n", med(&run_result::webhooks_per_s));
  std::printf("  all comments posted after    %.1f s  (%.0f comments/s; a webhook's 202 to its comment p50 %.1f s, "
              "p99 %.1f s)\n",
              med(&run_result::all_posted_s), med(&run_result::comments_per_s), med(&run_result::e2e_p50_s),
              med(&run_result::e2e_p99_s));
  std::printf("  re-sent deliveries (dup)     p50 %.2f ms  p99 %.2f ms  %.0f /s  (the workers idle, nothing written)\n",
              med(&run_result::dup_p50), med(&run_result::dup_p99), med(&run_result::dup_per_s));
  std::printf("  bot peak RSS                 %.0f MB  (CPU %.1f s for the run)\n", med(&run_result::rss_mb),
              med(&run_result::cpu_s));
  std::printf("  database                     %.1f MB + WAL %.1f MB while running, %.1f MB after stop\n",
              med(&run_result::db_mb), med(&run_result::wal_mb), med(&run_result::db_after_stop_mb));
  std::printf("  checks                       %s\n", ok ? "all passed" : "FAILED (see PROBLEM lines)");
  return ok ? 0 : 1;
}
