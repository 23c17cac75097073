#pragma once
// How long the workers wait before trying a ticket system again.

#include <chrono>
#include <cstdint>
#include <optional>

namespace bot {

// Seconds to wait before attempt number attempts + 1: exponential from 1 s (doubling, at most
// 10 minutes) with jitter (between half and all of it), or what the server asked for with
// Retry-After (at most an hour) when that is given. jitter is a number in [0, 1).
std::int64_t retry_delay(int attempts, std::optional<std::chrono::seconds> retry_after, double jitter);

// A number in [0, 1) for retry_delay, from a per-thread generator.
double random_jitter();

}  // namespace bot
