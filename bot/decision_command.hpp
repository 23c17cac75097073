#pragma once
// The words after `/playbook decide`, `vendor` and `decisions`, read into requests. Pure text
// parsing: what cannot be a decision gets a message that says what is missing or wrong.

#include "storage/decisions.hpp"

#include <boost/system/result.hpp>

#include <optional>
#include <string>
#include <string_view>

namespace bot {

struct usage_error {
  std::string message;
};

[[noreturn]] inline void throw_exception_from_error(const usage_error& e,
                                                    const boost::source_location&) {
  throw std::invalid_argument(e.message);
}

template <class T>
using usage_result = boost::system::result<T, usage_error>;

// `decide <vendor> approve|reject|defer|conditional [— reason] [conditions: …]
//  [revisit YYYY-MM-DD] [ticket KEY-123]`.
struct decide_request {
  std::string vendor;
  storage::outcome what = storage::outcome::defer;
  std::string rationale;
  std::string conditions;
  std::string revisit_on;
  std::string ticket;
};

// Limits on what a decision may hold, in characters.
inline constexpr std::size_t max_vendor_chars = 100;
inline constexpr std::size_t max_rationale_chars = 2000;
inline constexpr std::size_t max_conditions_chars = 1000;

// The usage line of decide, for error messages and help; prefix is e.g. "/playbook".
std::string decide_usage(std::string_view prefix);

usage_result<decide_request> parse_decide(std::string_view text, std::string_view prefix);

// A vendor name typed to look one up: trimmed, checked for length and echo safety.
usage_result<std::string> parse_vendor_name(std::string_view text, std::string_view prefix);

// `decisions [recent [N] | search <words> | outcome <outcome>]`.
struct decisions_query {
  enum class kind { recent, search, outcome } what = kind::recent;
  std::size_t limit = 10;
  std::string words;
  storage::outcome only = storage::outcome::approve;
};

inline constexpr std::size_t max_listed_decisions = 50;

usage_result<decisions_query> parse_decisions_query(std::string_view text, std::string_view prefix);

// An outcome as people type it ("approved", "Rejected", "hold", "approve-with-conditions").
std::optional<storage::outcome> outcome_from_word(std::string_view word);

// True for an ISO date that exists (2027-02-29 does not).
bool valid_iso_date(std::string_view s);

}  // namespace bot
