#include "bot/utc_time.hpp"

#include <ctime>

namespace bot {

std::string utc_text(std::int64_t unix_seconds, const char* strftime_format) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  const auto n = std::strftime(buf, sizeof buf, strftime_format, &tm);
  return std::string(buf, n);
}

}  // namespace bot
