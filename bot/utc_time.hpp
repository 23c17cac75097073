#pragma once
// Unix seconds as UTC text, for answers ("2026-11-28 19:40 UTC") and exports (ISO 8601).

#include <cstdint>
#include <string>

namespace bot {

// t formatted with strftime's format in UTC.
std::string utc_text(std::int64_t unix_seconds, const char* strftime_format);

}  // namespace bot
