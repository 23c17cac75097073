// The Prometheus metrics: route labels that cannot grow, what each counter counts, the figures read
// at scrape time, and GET /metrics with and without PLAYBOOK_METRICS_TOKEN. Counters are
// process-wide, so tests compare before and after rather than absolute values.

#include "bot/metrics.hpp"

#include "bot/router.hpp"
#include "tests/knowledge/embedded_playbook.hpp"

#include <gtest/gtest.h>

#include <charconv>
#include <string>

namespace {

namespace http = boost::beast::http;

// The value of the sample whose line starts with `series` (name and labels exactly as exposed),
// or -1 when there is none.
double sample(const std::string& text, std::string_view series) {
  std::size_t at = 0;
  while ((at = text.find(series, at)) != std::string::npos) {
    const bool line_start = at == 0 || text[at - 1] == '\n';
    const auto value_at = at + series.size();
    if (line_start && value_at < text.size() && text[value_at] == ' ') {
      const auto end = text.find('\n', value_at);
      return std::stod(text.substr(value_at + 1, end - value_at - 1));
    }
    at = value_at;
  }
  return -1;
}

std::string scrape(const bot::metrics::scrape_inputs& in = {}) { return bot::metrics::exposition(in); }

TEST(metrics, route_labels_are_the_served_routes_or_other) {
  using bot::metrics::route_label;
  EXPECT_EQ(route_label("/slack/commands"), "/slack/commands");
  EXPECT_EQ(route_label("/mattermost/commands?token=secret&text=x"), "/mattermost/commands");
  EXPECT_EQ(route_label("/teams/messages"), "/teams/messages");
  EXPECT_EQ(route_label("/hooks/gitlab"), "/hooks/gitlab");
  EXPECT_EQ(route_label("/metrics"), "/metrics");
  EXPECT_EQ(route_label("/wp-admin/setup.php"), "other");
  EXPECT_EQ(route_label("/hooks/bitbucket"), "other");
  EXPECT_EQ(route_label(""), "other");
}

TEST(metrics, requests_are_counted_by_route_and_status_with_latency) {
  const std::string series = R"(playbook_http_requests_total{route="/teams/messages",status="401"})";
  const double before = std::max(0.0, sample(scrape(), series));
  const std::string hist = R"(playbook_http_request_duration_seconds_count{route="/teams/messages"})";
  const double hist_before = sample(scrape(), hist);
  bot::metrics::observe_request("/teams/messages", 401, std::chrono::microseconds(700));
  bot::metrics::observe_request("/teams/messages?x=1", 401, std::chrono::milliseconds(3));
  const auto text = scrape();
  EXPECT_EQ(sample(text, series), before + 2) << text;
  EXPECT_EQ(sample(text, hist), hist_before + 2);
  EXPECT_GE(sample(text, R"(playbook_http_request_duration_seconds_bucket{route="/teams/messages",le="0.005"})"), 2);
}

TEST(metrics, probes_for_unknown_paths_share_one_series) {
  for (int i = 0; i < 50; ++i)
    bot::metrics::observe_request("/probe/" + std::to_string(i), 404, std::chrono::microseconds(10));
  const auto text = scrape();
  EXPECT_EQ(text.find("/probe/"), std::string::npos);
  EXPECT_GE(sample(text, R"(playbook_http_requests_total{route="other",status="404"})"), 50);
}

TEST(metrics, alerting_series_exist_at_zero_before_anything_happens) {
  const auto text = scrape();
  for (auto platform : {"slack", "mattermost", "teams", "jira", "github", "gitlab", "metrics"})
    EXPECT_GE(sample(text, std::string(R"(playbook_signature_failures_total{platform=")") + platform + "\"}"), 0)
        << platform;
  EXPECT_GE(sample(text, R"(playbook_reviews_total{source="ticket",verdict="do_not_proceed"})"), 0);
  EXPECT_GE(sample(text, R"(playbook_decisions_recorded_total{outcome="approve",source="chat"})"), 0);
  EXPECT_GE(sample(text, R"(playbook_delivery_attempts_total{result="failed",system="jira"})"), 0);
  EXPECT_NE(text.find("# TYPE playbook_http_request_duration_seconds histogram"), std::string::npos);
  EXPECT_NE(text.find("# HELP playbook_sqlite_busy_retries_total"), std::string::npos);
  EXPECT_GT(sample(text, "process_start_time_seconds"), 1.7e9);
  EXPECT_GT(sample(text, "process_resident_memory_bytes"), 0);
}

TEST(metrics, events_are_counted_under_their_labels) {
  const auto before = scrape();
  bot::metrics::signature_failure("github");
  bot::metrics::review("chat", "proceed_with_conditions");
  bot::metrics::decision("ticket", "reject");
  bot::metrics::delivery_attempt("gitlab", "retried");
  bot::metrics::delivery_attempt("gitlab", "posted");
  const auto after = scrape();
  for (std::string_view series :
       {R"(playbook_signature_failures_total{platform="github"})",
        R"(playbook_reviews_total{source="chat",verdict="proceed_with_conditions"})",
        R"(playbook_decisions_recorded_total{outcome="reject",source="ticket"})",
        R"(playbook_delivery_attempts_total{result="retried",system="gitlab"})",
        R"(playbook_delivery_attempts_total{result="posted",system="gitlab"})"})
    EXPECT_EQ(sample(after, series), sample(before, series) + 1) << series;
}

TEST(metrics, queue_depths_ages_and_busy_retries_are_read_at_scrape_time) {
  bot::metrics::scrape_inputs in;
  in.now = 1'800'000'000;
  in.queues.inbox_pending = 3;
  in.queues.outbox_pending = 5;
  in.queues.outbox_failed = 2;
  in.queues.oldest_inbox_at = in.now - 40;
  in.queues.oldest_outbox_at = in.now - 95;
  const double busy_before = std::max(0.0, sample(scrape(), "playbook_sqlite_busy_retries_total"));
  in.busy_retries = 1'000'000;  // the process-wide count storage keeps
  auto text = scrape(in);
  EXPECT_EQ(sample(text, R"(playbook_queue_depth{queue="inbox",state="pending"})"), 3);
  EXPECT_EQ(sample(text, R"(playbook_queue_depth{queue="outbox",state="pending"})"), 5);
  EXPECT_EQ(sample(text, R"(playbook_queue_depth{queue="outbox",state="failed"})"), 2);
  EXPECT_EQ(sample(text, R"(playbook_oldest_undelivered_age_seconds{queue="inbox"})"), 40);
  EXPECT_EQ(sample(text, R"(playbook_oldest_undelivered_age_seconds{queue="outbox"})"), 95);
  EXPECT_GE(sample(text, "playbook_sqlite_busy_retries_total"), 1'000'000);
  EXPECT_GE(sample(text, "playbook_sqlite_busy_retries_total"), busy_before);

  in.queues = {};
  text = scrape(in);
  EXPECT_EQ(sample(text, R"(playbook_oldest_undelivered_age_seconds{queue="outbox"})"), 0);
  EXPECT_EQ(sample(text, R"(playbook_queue_depth{queue="inbox",state="pending"})"), 0);
}

TEST(metrics, build_info_names_the_version_and_schema) {
  bot::metrics::set_build_info("9.8.7", 42);
  EXPECT_EQ(sample(scrape(), R"(playbook_build_info{schema_version="42",version="9.8.7"})"), 1);
}

// ---- GET /metrics through the router

storage::database& db() {
  static storage::database d(storage::database_options{":memory:", 1000});
  return d;
}

const bot::chat_service& chat() {
  static const bot::chat_service s(test::book());
  return s;
}

bot::request get_metrics(std::optional<std::string> auth = std::nullopt) {
  bot::request req{http::verb::get, "/metrics", 11};
  if (auth) req.set(http::field::authorization, *auth);
  return req;
}

TEST(metrics_route, open_without_a_token_in_prometheus_text_format) {
  const bot::settings s;
  bot::router router(s, chat(), db());
  storage::queue_stats q;
  q.outbox_failed = 7;
  router.attach_queue_stats([q] { return q; });
  const auto res = router.handle(get_metrics(), {"m1", false});
  ASSERT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::content_type], bot::metrics::content_type);
  EXPECT_EQ(sample(res.body(), R"(playbook_queue_depth{queue="outbox",state="failed"})"), 7);
  EXPECT_EQ(router.handle(bot::request{http::verb::post, "/metrics", 11}, {"m2", false}).result(),
            http::status::method_not_allowed);
}

TEST(metrics_route, a_token_must_be_presented_as_a_bearer_and_failures_are_counted) {
  bot::settings s;
  s.metrics_token = "scrape-token-123";
  const bot::router router(s, chat(), db());
  const std::string series = R"(playbook_signature_failures_total{platform="metrics"})";
  const double failures = sample(scrape(), series);

  const auto none = router.handle(get_metrics(), {"m3", false});
  EXPECT_EQ(none.result(), http::status::unauthorized);
  EXPECT_EQ(none[http::field::www_authenticate], "Bearer realm=\"metrics\"");
  EXPECT_EQ(none.body().find("playbook_http"), std::string::npos);  // no figures leak
  EXPECT_EQ(router.handle(get_metrics("Bearer wrong"), {"m4", false}).result(),
            http::status::unauthorized);
  EXPECT_EQ(router.handle(get_metrics("scrape-token-123"), {"m5", false}).result(),
            http::status::unauthorized);
  EXPECT_EQ(sample(scrape(), series), failures + 3);

  EXPECT_EQ(router.handle(get_metrics("Bearer scrape-token-123"), {"m6", false}).result(),
            http::status::ok);
  EXPECT_EQ(router.handle(get_metrics("bearer scrape-token-123"), {"m7", false}).result(),
            http::status::ok);
}

}  // namespace
