#include "bot/backoff.hpp"

#include <algorithm>
#include <random>

namespace bot {

std::int64_t retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after, double j) {
  if (retry_after && retry_after->count() > 0) return std::min<std::int64_t>(retry_after->count(), 3600);
  const std::int64_t full = std::min<std::int64_t>(std::int64_t{1} << std::clamp(attempts, 0, 20), 600);
  // Between half and all of the full delay, at least a second: deliveries that failed together
  // do not all come back at the same moment.
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(static_cast<double>(full) * (0.5 + j / 2)));
}

double random_jitter() {
  thread_local std::mt19937 gen{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(gen);
}

}  // namespace bot
