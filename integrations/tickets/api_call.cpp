#include "integrations/tickets/api_call.hpp"

#include "integrations/text/utf8.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace integrations::tickets {

namespace {

using std::chrono::seconds;
using std::chrono::system_clock;

// A tracker that names a wait of years is wrong or hostile; a day keeps the outbox moving.
constexpr seconds longest_wait{86'400};

seconds capped(seconds s) { return std::clamp(s, seconds{0}, longest_wait); }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool icontains(std::string_view text, std::string_view needle) {
  if (needle.size() > text.size()) return false;
  for (std::size_t i = 0; i + needle.size() <= text.size(); ++i)
    if (iequals(text.substr(i, needle.size()), needle)) return true;
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Reads exactly n digits at s[i...]; advances i.
std::optional<int> digits(std::string_view s, std::size_t& i, std::size_t n) {
  if (i + n > s.size()) return std::nullopt;
  int v = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[i + k];
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  i += n;
  return v;
}

std::optional<std::uint64_t> whole_number(std::string_view s) {
  std::uint64_t n = 0;
  if (s.empty()) return std::nullopt;
  const auto [p, e] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (e != std::errc{} || p != s.data() + s.size()) return std::nullopt;
  return n;
}

std::optional<system_clock::time_point> civil_time(int y, int mo, int d, int h, int mi, int sec) {
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return sys_days{ymd} + hours{h} + minutes{mi} + seconds{sec};
}

// IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
std::optional<system_clock::time_point> http_date(std::string_view s) {
  static constexpr std::array<std::string_view, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto comma = s.find(", ");
  if (comma == std::string_view::npos) return std::nullopt;
  s.remove_prefix(comma + 2);
  std::size_t i = 0;
  const auto d = digits(s, i, 2);
  if (!d || s.substr(i, 1) != " ") return std::nullopt;
  const auto mon = s.substr(i + 1, 3);
  const auto it = std::find(months.begin(), months.end(), mon);
  if (it == months.end()) return std::nullopt;
  i += 4;
  if (s.substr(i, 1) != " ") return std::nullopt;
  ++i;
  const auto y = digits(s, i, 4);
  if (!y || s.substr(i, 1) != " ") return std::nullopt;
  ++i;
  const auto h = digits(s, i, 2);
  if (!h || s.substr(i, 1) != ":") return std::nullopt;
  ++i;
  const auto mi = digits(s, i, 2);
  if (!mi || s.substr(i, 1) != ":") return std::nullopt;
  ++i;
  const auto sec = digits(s, i, 2);
  if (!sec || s.substr(i) != " GMT") return std::nullopt;
  return civil_time(*y, static_cast<int>(it - months.begin()) + 1, *d, *h, *mi, *sec);
}

// "2024-05-01T12:30Z", "2024-05-01T12:30:45.123Z", "2024-05-01T12:30:45+01:00", "...+0100".
std::optional<system_clock::time_point> iso_time(std::string_view s) {
  std::size_t i = 0;
  const auto y = digits(s, i, 4);
  if (!y || s.substr(i, 1) != "-") return std::nullopt;
  ++i;
  const auto mo = digits(s, i, 2);
  if (!mo || s.substr(i, 1) != "-") return std::nullopt;
  ++i;
  const auto d = digits(s, i, 2);
  if (!d || s.substr(i, 1) != "T") return std::nullopt;
  ++i;
  const auto h = digits(s, i, 2);
  if (!h || s.substr(i, 1) != ":") return std::nullopt;
  ++i;
  const auto mi = digits(s, i, 2);
  if (!mi) return std::nullopt;
  int sec = 0;
  if (s.substr(i, 1) == ":") {
    ++i;
    const auto ss = digits(s, i, 2);
    if (!ss) return std::nullopt;
    sec = *ss;
    if (s.substr(i, 1) == ".") {
      ++i;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    }
  }
  auto t = civil_time(*y, *mo, *d, *h, *mi, sec);
  if (!t) return std::nullopt;
  const auto zone = s.substr(i);
  if (zone == "Z") return t;
  if (zone.size() != 5 && zone.size() != 6) return std::nullopt;
  if (zone[0] != '+' && zone[0] != '-') return std::nullopt;
  std::size_t k = 1;
  const auto zh = digits(zone, k, 2);
  if (zone.size() == 6) {
    if (zone[k] != ':') return std::nullopt;
    ++k;
  }
  const auto zm = digits(zone, k, 2);
  if (!zh || !zm) return std::nullopt;
  const auto offset = std::chrono::hours{*zh} + std::chrono::minutes{*zm};
  return zone[0] == '+' ? *t - offset : *t + offset;
}

seconds until(system_clock::time_point then, system_clock::time_point now) {
  return capped(std::chrono::ceil<seconds>(then - now));
}

// The start of a response body for a failure message: valid UTF-8, control characters as spaces.
std::string excerpt(std::string_view body) {
  std::string text(utf8::prefix_chars(utf8::sanitize(utf8::prefix_bytes(body, 1024)), 200));
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  return text;
}

// The wait a rate-limited answer names, in the order of precedence GitHub documents.
std::optional<seconds> named_wait(const http::response& r, system_clock::time_point now) {
  if (const auto v = trim(r.header_value("Retry-After")); !v.empty())
    if (auto s = parse_retry_after(v, now)) return s;
  const auto reset = trim(r.header_value("X-RateLimit-Reset"));
  if (reset.empty()) return std::nullopt;
  const bool epoch = whole_number(reset).has_value();
  // GitHub's reset is when the whole hour's budget refills: only the wait when it is spent.
  if (epoch && trim(r.header_value("X-RateLimit-Remaining")) != "0") return std::nullopt;
  return parse_reset(reset, now);
}

}  // namespace

std::optional<seconds> parse_retry_after(std::string_view value, system_clock::time_point now) {
  value = trim(value);
  if (const auto n = whole_number(value)) return capped(seconds{static_cast<std::int64_t>(std::min<std::uint64_t>(*n, longest_wait.count()))});
  if (const auto t = http_date(value)) return until(*t, now);
  return std::nullopt;
}

std::optional<seconds> parse_reset(std::string_view value, system_clock::time_point now) {
  value = trim(value);
  if (const auto n = whole_number(value)) {
    // Epoch seconds that fit the clock; anything larger is nonsense.
    if (*n > 253'402'300'799ULL) return std::nullopt;
    return until(system_clock::time_point{seconds{static_cast<std::int64_t>(*n)}}, now);
  }
  if (const auto t = iso_time(value)) return until(*t, now);
  return std::nullopt;
}

std::optional<api_failure> classify(const http::response& r, system_clock::time_point now) {
  if (r.status >= 200 && r.status < 300) return std::nullopt;
  api_failure f;
  f.status = r.status;
  f.message = "HTTP " + std::to_string(r.status) + ": " + excerpt(r.body);
  if (r.status == 429 || (r.status >= 500 && r.status < 600)) {
    f.retryable = true;
    f.retry_after = named_wait(r, now);
  } else if (r.status == 403) {
    const bool named = !trim(r.header_value("Retry-After")).empty() ||
                       trim(r.header_value("X-RateLimit-Remaining")) == "0";
    if (named) {
      f.retryable = true;
      f.retry_after = named_wait(r, now);
    } else if (icontains(r.body, "secondary rate limit")) {
      // GitHub: "wait at least one minute" when a secondary limit names no time.
      f.retryable = true;
      f.retry_after = seconds{60};
    }
  }
  return f;
}

api_failure no_response(std::string_view why) {
  api_failure f;
  f.retryable = true;
  f.message = std::string(why);
  return f;
}

api_failure permanent(std::string message, unsigned status) {
  api_failure f;
  f.status = status;
  f.message = std::move(message);
  return f;
}

api_result<http::response> call(const http::client& client, std::string_view method, std::string_view address,
                                 std::string_view body, const http::request_options& options) {
  auto r = client.send(method, address, body, options);
  if (!r) return no_response(r.error().message);
  if (auto f = classify(*r)) return *f;
  return std::move(*r);
}

api_result<boost::json::value> parse_json(const http::response& r, std::string_view what) {
  boost::system::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  if (ec) return permanent(std::string(what) + " is not valid JSON: " + ec.message(), r.status);
  return v;
}

std::string encode_segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 0xF];
    }
  }
  return out;
}

std::string trim_base(std::string_view base) {
  while (base.ends_with('/')) base.remove_suffix(1);
  return std::string(base);
}

bool same_origin(std::string_view a, std::string_view b) {
  const auto x = http::parse_url(a);
  const auto y = http::parse_url(b);
  return x && y && x->tls == y->tls && iequals(x->host, y->host) && x->port == y->port;
}

std::string string_of(const boost::json::value* v) {
  if (v == nullptr || !v->is_string()) return "";
  return std::string(v->get_string());
}

std::vector<std::string> label_names(const boost::json::value* labels) {
  std::vector<std::string> names;
  if (labels == nullptr || !labels->is_array()) return names;
  for (const auto& l : labels->get_array()) {
    if (l.is_string()) names.emplace_back(l.get_string());
    else if (l.is_object())
      if (auto name = string_of(l.get_object().if_contains("name")); !name.empty())
        names.push_back(std::move(name));
  }
  return names;
}

std::string id_of(const boost::json::value* v) {
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  if (v->is_int64() && v->get_int64() >= 0) return std::to_string(v->get_int64());
  return "";
}

bool numeric_id(std::string_view s) {
  return !s.empty() && s.size() <= 19 && s.find_first_not_of("0123456789") == std::string_view::npos;
}

std::string body_json(std::string_view text) {
  boost::json::object o;
  o["body"] = text;
  return boost::json::serialize(o);
}

api_result<std::string> created_id(const http::response& r, std::string_view what) {
  auto v = parse_json(r, what);
  if (!v) return v.error();
  const auto* o = v->if_object();
  auto id = id_of(o ? o->if_contains("id") : nullptr);
  if (!numeric_id(id)) return permanent(std::string(what) + " has no numeric id", r.status);
  return api_result<std::string>(boost::system::in_place_value, std::move(id));
}

}  // namespace integrations::tickets
