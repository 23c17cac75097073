#pragma once
// The process's Prometheus metrics (prometheus-cpp core; served by our own server at /metrics).
// Like the log, one set per process: code anywhere in bot/ counts what happened with the functions
// below, which are cheap and thread-safe; exposition() renders everything in Prometheus text
// format, reading the figures that live elsewhere (queue depths, SQLite busy retries) as it goes.
// Label values are always from small fixed sets (routes, platforms, verdicts), never user input.

#include "storage/tickets.hpp"

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace bot::metrics {

// The route a request target counts under: one of the served paths ("/slack/commands", ...,
// "/metrics") or "other", so a scanner cannot create a time series per path it tries.
std::string_view route_label(std::string_view target);

// A request answered with status after took (the server calls it once per request).
void observe_request(std::string_view target, unsigned status, std::chrono::nanoseconds took);

// A request refused because its signature or token did not verify; platform: slack, mattermost,
// teams, jira, github, gitlab, metrics.
void signature_failure(std::string_view platform);

// A proposal reviewed; source: chat or ticket; verdict: the review's ("proceed", ...).
void review(std::string_view source, std::string_view verdict);

// A decision committed; source: chat or ticket; outcome: approve, reject, defer, conditional.
void decision(std::string_view source, std::string_view outcome);

// One attempt to deliver a ticket comment; system: jira, github, gitlab; result: posted, updated,
// retried (a failure that will be tried again) or failed (kept for the operator).
void delivery_attempt(std::string_view system, std::string_view result);

// The build, for playbook_build_info; called once at start-up.
void set_build_info(std::string_view version, int schema_version);

// What the exposition reads from elsewhere at scrape time.
struct scrape_inputs {
  storage::queue_stats queues;
  std::int64_t now = 0;  // Unix seconds, for the age of the oldest undelivered item
  std::uint64_t busy_retries = 0;
};

// Every metric in Prometheus text exposition format 0.0.4.
std::string exposition(const scrape_inputs& in);

// The Content-Type of exposition().
inline constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace bot::metrics
