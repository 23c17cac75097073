#include "bot/log.hpp"

#include "bot/log_sink.hpp"

#include "integrations/text/utf8.hpp"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace bot::log {
namespace {

std::atomic<int> current_level{static_cast<int>(level::info)};

constexpr std::string_view names[] = {"debug", "info", "warn", "error"};

// Logged text comes from clients too (a request path, cut to a length that may split a
// character): bytes that are not UTF-8 become U+FFFD so the line stays valid JSON.
// Printable ASCII other than '"' and '\\': copied as it is.
bool plain(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x20 && u < 0x7F && c != '"' && c != '\\';
}

void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < s.size(); ++i) {
    // Runs of plain characters (nearly all of a line) are appended in one go.
    if (plain(s[i])) {
      std::size_t j = i + 1;
      while (j < s.size() && plain(s[j])) ++j;
      out.append(s.data() + i, j - i);
      i = j - 1;
      continue;
    }
    const char c = s[i];
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x80) {
      if (const auto n = integrations::utf8::sequence_length(s, i); n != 0) {
        out.append(s.substr(i, n));
        i += n - 1;
      } else {
        out += "\ufffd";
      }
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (u < 0x20 || u == 0x7F) {
          out += "\\u00";
          out += hex[u >> 4];
          out += hex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
}

// Appends v, known to be in [0, 10^width), as exactly `width` decimal digits.
void append_digits(std::string& out, int v, int width) {
  char buf[4];
  for (int i = width; i-- > 0; v /= 10) buf[i] = static_cast<char>('0' + v % 10);
  out.append(buf, static_cast<std::size_t>(width));
}

void append_timestamp(std::string& out) {
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch());
  const std::time_t secs = static_cast<std::time_t>(ms.count() / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  const int year = tm.tm_year + 1900;
  const int millis = static_cast<int>(ms.count() % 1000);
  if (year >= 0 && year <= 9999 && millis >= 0) {
    // The same bytes as the snprintf below, without printf (a quarter of a log line's cost).
    append_digits(out, year, 4);
    out += '-';
    append_digits(out, tm.tm_mon + 1, 2);
    out += '-';
    append_digits(out, tm.tm_mday, 2);
    out += 'T';
    append_digits(out, tm.tm_hour, 2);
    out += ':';
    append_digits(out, tm.tm_min, 2);
    out += ':';
    append_digits(out, tm.tm_sec, 2);
    out += '.';
    append_digits(out, millis, 3);
    out += 'Z';
    return;
  }
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(ms.count() % 1000));
  out.append(buf, static_cast<std::size_t>(n));
}

struct value_writer {
  std::string& out;
  void operator()(std::string_view s) const {
    out += '"';
    append_escaped(out, s);
    out += '"';
  }
  void operator()(std::int64_t i) const {
    char buf[24];  // the same digits as std::to_string, without a temporary string
    const auto r = std::to_chars(buf, buf + sizeof buf, i);
    out.append(buf, r.ptr);
  }
  void operator()(double d) const {
    // JSON has no NaN or infinity; and "%.3f" of a large double is over 300 characters, so the
    // buffer holds the longest one (snprintf returns the length it wanted, not what it wrote).
    if (!std::isfinite(d)) {
      out += "null";
      return;
    }
    char buf[328];
    const int n = std::snprintf(buf, sizeof buf, "%.3f", d);
    if (n > 0) out.append(buf, std::min(static_cast<std::size_t>(n), sizeof buf - 1));
  }
  void operator()(bool b) const { out += b ? "true" : "false"; }
};

}  // namespace

void set_level(std::string_view name) {
  for (int i = 0; i < 4; ++i)
    if (names[i] == name) current_level.store(i, std::memory_order_relaxed);
}

bool enabled(level l) {
  return static_cast<int>(l) >= current_level.load(std::memory_order_relaxed);
}

std::string format_line(level l, std::string_view msg, std::initializer_list<field> fields) {
  std::string line;
  line.reserve(256);  // a request line is about 210 bytes: one allocation, no regrowth
  line += "{\"ts\":\"";
  append_timestamp(line);
  line += "\",\"level\":\"";
  line += names[static_cast<int>(l)];
  line += "\",\"msg\":\"";
  append_escaped(line, msg);
  line += '"';
  for (const auto& f : fields) {
    line += ",\"";
    append_escaped(line, f.key);
    line += "\":";
    std::visit(value_writer{line}, f.value);
  }
  line += "}\n";
  return line;
}

void write(level l, std::string_view msg, std::initializer_list<field> fields) {
  if (!enabled(l)) return;
  // Warnings and errors go out at once (a crash must not swallow them); the rest in batches.
  stderr_sink().append(format_line(l, msg, fields), l >= level::warn);
}

void flush() { stderr_sink().flush(); }

}  // namespace bot::log
