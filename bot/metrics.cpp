#include "bot/metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdio>
#include <mutex>

namespace bot::metrics {
namespace {

constexpr std::array<std::string_view, 10> routes = {
    "/slack/commands", "/mattermost/commands", "/teams/messages", "/hooks/jira", "/hooks/github",
    "/hooks/gitlab",   "/healthz",             "/readyz",         "/metrics",    "other"};
constexpr std::size_t other_route = routes.size() - 1;

std::size_t route_index(std::string_view target) {
  const auto path = target.substr(0, target.find('?'));
  for (std::size_t i = 0; i < other_route; ++i)
    if (routes[i] == path) return i;
  return other_route;
}

constexpr std::array<std::string_view, 7> platforms = {"slack", "mattermost", "teams", "jira",
                                                       "github", "gitlab", "metrics"};
constexpr std::array<std::string_view, 3> verdicts = {"proceed", "proceed_with_conditions",
                                                      "do_not_proceed"};
constexpr std::array<std::string_view, 4> outcomes = {"approve", "reject", "defer",
                                                      "conditional"};
constexpr std::array<std::string_view, 3> systems = {"jira", "github", "gitlab"};
constexpr std::array<std::string_view, 4> delivery_results = {"posted", "updated", "retried",
                                                              "failed"};

std::string str(std::string_view s) { return std::string(s); }

// Request latencies from a cached answer (well under a millisecond) to Teams' 5 s deadline.
prometheus::Histogram::BucketBoundaries latency_buckets() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

double resident_bytes() {
  long pages = 0, resident = 0;
  if (FILE* f = std::fopen("/proc/self/statm", "r")) {
    if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
    std::fclose(f);
  }
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

struct state {
  prometheus::Registry registry;

  prometheus::Family<prometheus::Counter>& requests =
      prometheus::BuildCounter()
          .Name("playbook_http_requests_total")
          .Help("HTTP requests answered, by route and status")
          .Register(registry);
  prometheus::Family<prometheus::Histogram>& latency =
      prometheus::BuildHistogram()
          .Name("playbook_http_request_duration_seconds")
          .Help("Time from the first byte of a request to its answer written, by route")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& signature_failures =
      prometheus::BuildCounter()
          .Name("playbook_signature_failures_total")
          .Help("Requests refused because their signature or token did not verify, by platform")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& reviews =
      prometheus::BuildCounter()
          .Name("playbook_reviews_total")
          .Help("Proposals reviewed, by where they came from and verdict")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& decisions =
      prometheus::BuildCounter()
          .Name("playbook_decisions_recorded_total")
          .Help("Vendor decisions committed to the decision log, by source and outcome")
          .Register(registry);
  prometheus::Family<prometheus::Counter>& deliveries =
      prometheus::BuildCounter()
          .Name("playbook_delivery_attempts_total")
          .Help("Attempts to post or edit a ticket review comment, by ticket system and result")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& queue_depth =
      prometheus::BuildGauge()
          .Name("playbook_queue_depth")
          .Help("Ticket work waiting: inbox events to review, outbox comments to deliver "
                "(pending), comments kept as failed for the operator (failed)")
          .Register(registry);
  prometheus::Family<prometheus::Gauge>& oldest_age =
      prometheus::BuildGauge()
          .Name("playbook_oldest_undelivered_age_seconds")
          .Help("Age of the oldest pending inbox event or outbox comment; 0 when none")
          .Register(registry);
  prometheus::Counter& busy_retries =
      prometheus::BuildCounter()
          .Name("playbook_sqlite_busy_retries_total")
          .Help("Times a database call found SQLite busy (locked by another connection) and waited")
          .Register(registry)
          .Add({});
  prometheus::Family<prometheus::Gauge>& build_info =
      prometheus::BuildGauge()
          .Name("playbook_build_info")
          .Help("The running build: version and the database schema version it writes; always 1")
          .Register(registry);
  prometheus::Gauge& start_time = prometheus::BuildGauge()
                                      .Name("process_start_time_seconds")
                                      .Help("Start time of the process since the Unix epoch")
                                      .Register(registry)
                                      .Add({});
  prometheus::Gauge& resident = prometheus::BuildGauge()
                                    .Name("process_resident_memory_bytes")
                                    .Help("Resident memory of the process")
                                    .Register(registry)
                                    .Add({});

  std::array<prometheus::Histogram*, routes.size()> latency_of{};
  // Counters by route and status, found once and then read without the family's lock.
  std::array<std::array<std::atomic<prometheus::Counter*>, 600>, routes.size()> request_counters{};

  std::mutex scrape_mutex;  // guards busy_seen and the gauges set while scraping
  std::uint64_t busy_seen = 0;

  state() {
    for (std::size_t i = 0; i < routes.size(); ++i)
      latency_of[i] = &latency.Add({{"route", str(routes[i])}}, latency_buckets());
    // Series that alerts look at exist from the start, at 0, rather than appearing on first use.
    for (auto p : platforms) signature_failures.Add({{"platform", str(p)}});
    for (auto source : {"chat", "ticket"}) {
      for (auto v : verdicts) reviews.Add({{"source", source}, {"verdict", str(v)}});
      for (auto o : outcomes) decisions.Add({{"source", source}, {"outcome", str(o)}});
    }
    for (auto sys : systems)
      for (auto r : delivery_results) deliveries.Add({{"system", str(sys)}, {"result", str(r)}});
    start_time.Set(unix_now());
  }
};

state& the() {
  static state s;
  return s;
}

}  // namespace

std::string_view route_label(std::string_view target) { return routes[route_index(target)]; }

void observe_request(std::string_view target, unsigned status, std::chrono::nanoseconds took) {
  auto& s = the();
  const auto r = route_index(target);
  s.latency_of[r]->Observe(std::chrono::duration<double>(took).count());
  auto& slot = s.request_counters[r][status < 600 ? status : 0];
  auto* counter = slot.load(std::memory_order_acquire);
  if (counter == nullptr) {
    // Family::Add returns the existing series when two threads get here at once.
    counter = &s.requests.Add({{"route", str(routes[r])}, {"status", std::to_string(status)}});
    slot.store(counter, std::memory_order_release);
  }
  counter->Increment();
}

void signature_failure(std::string_view platform) {
  the().signature_failures.Add({{"platform", str(platform)}}).Increment();
}

void review(std::string_view source, std::string_view verdict) {
  the().reviews.Add({{"source", str(source)}, {"verdict", str(verdict)}}).Increment();
}

void decision(std::string_view source, std::string_view outcome) {
  the().decisions.Add({{"source", str(source)}, {"outcome", str(outcome)}}).Increment();
}

void delivery_attempt(std::string_view system, std::string_view result) {
  the().deliveries.Add({{"system", str(system)}, {"result", str(result)}}).Increment();
}

void set_build_info(std::string_view version, int schema_version) {
  the().build_info.Add({{"version", str(version)}, {"schema_version", std::to_string(schema_version)}})
      .Set(1);
}

std::string exposition(const scrape_inputs& in) {
  auto& s = the();
  {
    const std::lock_guard lock(s.scrape_mutex);
    s.queue_depth.Add({{"queue", "inbox"}, {"state", "pending"}})
        .Set(static_cast<double>(in.queues.inbox_pending));
    s.queue_depth.Add({{"queue", "outbox"}, {"state", "pending"}})
        .Set(static_cast<double>(in.queues.outbox_pending));
    s.queue_depth.Add({{"queue", "outbox"}, {"state", "failed"}})
        .Set(static_cast<double>(in.queues.outbox_failed));
    const auto age = [&](std::int64_t since) {
      return since > 0 && in.now > since ? static_cast<double>(in.now - since) : 0.0;
    };
    s.oldest_age.Add({{"queue", "inbox"}}).Set(age(in.queues.oldest_inbox_at));
    s.oldest_age.Add({{"queue", "outbox"}}).Set(age(in.queues.oldest_outbox_at));
    if (in.busy_retries > s.busy_seen) {
      s.busy_retries.Increment(static_cast<double>(in.busy_retries - s.busy_seen));
      s.busy_seen = in.busy_retries;
    }
    s.resident.Set(resident_bytes());
  }
  return prometheus::TextSerializer{}.Serialize(s.registry.Collect());
}

}  // namespace bot::metrics
