#pragma once
// Structured logs: one JSON object per line on stderr. Lines from several threads never
// interleave; info and debug lines are written in batches (within 20 ms), warnings and errors at
// once.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace bot::log {

enum class level { debug, info, warn, error };

// "debug", "info", "warn", "error"; anything else keeps the current level.
void set_level(std::string_view name);
bool enabled(level l);

struct field {
  using value_type = std::variant<std::string_view, std::int64_t, double, bool>;
  std::string_view key;
  value_type value;

  field(std::string_view k, std::string_view v) : key(k), value(v) {}
  field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, bool v) : key(k), value(v) {}
  field(std::string_view k, double v) : key(k), value(v) {}
  template <class I, class = std::enable_if_t<std::is_integral_v<I> && !std::is_same_v<I, bool>>>
  field(std::string_view k, I v) : key(k), value(static_cast<std::int64_t>(v)) {}
};

// {"ts":"2026-11-28T16:08:11.123Z","level":"info","msg":msg, fields...}
std::string format_line(level l, std::string_view msg, std::initializer_list<field> fields);

void write(level l, std::string_view msg, std::initializer_list<field> fields = {});

// Writes every line logged so far (before exiting, or before handing stderr to someone else).
void flush();

inline void debug(std::string_view msg, std::initializer_list<field> f = {}) { write(level::debug, msg, f); }
inline void info(std::string_view msg, std::initializer_list<field> f = {}) { write(level::info, msg, f); }
inline void warn(std::string_view msg, std::initializer_list<field> f = {}) { write(level::warn, msg, f); }
inline void error(std::string_view msg, std::initializer_list<field> f = {}) { write(level::error, msg, f); }

}  // namespace bot::log
