#pragma once
// What the Jira, GitHub and GitLab APIs share: one HTTP exchange turned into a response or an
// api_failure (with the retry rules of all three trackers), JSON read defensively, addresses built
// from percent-encoded segments.

#include "integrations/http/client.hpp"
#include "integrations/tickets/api.hpp"

#include <boost/json/value.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace integrations::tickets {

// nullopt for a 2xx answer; otherwise why it failed:
// - 429 and 5xx: retryable; retry_after from Retry-After (seconds or an HTTP-date), else
//   X-RateLimit-Reset (Jira's ISO-8601 time, or GitHub's epoch seconds when
//   x-ratelimit-remaining is 0);
// - 403 with Retry-After, or with x-ratelimit-remaining: 0, or saying "secondary rate limit"
//   (GitHub's rate limits): retryable, retry_after as above (60 s for a bare secondary limit);
// - anything else (3xx, 4xx): not retryable.
// The message is "HTTP <status>: <the first 200 characters of the body>". Waits are capped at a day.
std::optional<api_failure> classify(const http::response& r,
                                    std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

// A request that got no response (refused, closed, timed out): status 0, retryable.
api_failure no_response(std::string_view why);

// A failure that trying again cannot fix: bad input, a malformed answer, a refused download.
api_failure permanent(std::string message, unsigned status = 0);

// Sends the request and returns the response when it is a 2xx, else the classified failure.
api_result<http::response> call(const http::client& client, std::string_view method, std::string_view address,
                                 std::string_view body, const http::request_options& options);

// The body of r parsed as JSON. A failure (not retryable) says "<what> is not valid JSON: ...".
api_result<boost::json::value> parse_json(const http::response& r, std::string_view what);

// A Retry-After value: delta seconds or an HTTP-date (IMF-fixdate); nullopt when neither.
std::optional<std::chrono::seconds> parse_retry_after(std::string_view value, std::chrono::system_clock::time_point now);

// A rate-limit reset time: epoch seconds (GitHub) or ISO-8601 "2024-05-01T12:30Z" /
// "...:45.123Z" / "...+01:00" (Jira); the wait until then, 0 when past; nullopt when neither.
std::optional<std::chrono::seconds> parse_reset(std::string_view value, std::chrono::system_clock::time_point now);

// s with every byte outside A-Z a-z 0-9 - . _ ~ percent-encoded: one URL path segment or query value.
std::string encode_segment(std::string_view s);

// base without trailing slashes ("https://jira.example.com/jira/" → "https://jira.example.com/jira").
std::string trim_base(std::string_view base);

// True when both addresses parse and have the same scheme, host (case-insensitive) and port.
bool same_origin(std::string_view a, std::string_view b);

// Readers for untrusted JSON: the member as a string ("" when absent, null or another type);
// id_of also accepts a non-negative integer (GitHub and GitLab ids are numbers, Jira's strings).
std::string string_of(const boost::json::value* v);

// An issue's "labels" as the GitHub and GitLab APIs give them: names, or objects with a "name"
// (GitHub always; GitLab with with_labels_details); anything else is skipped.
std::vector<std::string> label_names(const boost::json::value* labels);

// A numeric id as GitHub and GitLab write them (issue numbers, comment and note ids): 1 to 19
// digits.
bool numeric_id(std::string_view s);

// {"body": text}: a comment (GitHub) or note (GitLab) as the API takes it.
std::string body_json(std::string_view text);

// The numeric "id" of what a POST created; a permanent failure naming `what` ("GitHub's new
// comment") when the answer has none.
api_result<std::string> created_id(const http::response& r, std::string_view what);
std::string id_of(const boost::json::value* v);

}  // namespace integrations::tickets
