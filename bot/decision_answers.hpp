#pragma once
// Chat answers about vendor decisions, composed from what storage returned: the confirmation of a
// recorded decision, a vendor's status and history, lists and search results. Pure.

#include "integrations/chat/message.hpp"
#include "storage/decisions.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bot {

// "2026-11-28 19:40 UTC".
std::string format_utc(std::int64_t unix_seconds);

// "approved", "rejected", "deferred", "approved with conditions".
std::string_view outcome_label(storage::outcome o);

// prefix is how users invoke the bot ("/playbook"), for the hints under each answer.
integrations::message recorded_answer(const storage::decision& d, std::string_view prefix);

integrations::message vendor_answer(const storage::vendor_status& v, std::string_view prefix);

// No vendor of that name: the closest known ones, if any, and how to record one.
integrations::message unknown_vendor_answer(std::string_view name,
                                            const std::vector<storage::vendor_ref>& similar,
                                            std::string_view prefix);

// title: "Recent decisions", "Rejected vendors", ...
integrations::message decision_list_answer(std::string title,
                                           const std::vector<storage::decision>& list,
                                           std::string_view prefix);

integrations::message search_answer(std::string_view words, const std::vector<storage::search_hit>& hits,
                                    std::string_view prefix);

// A message that is only an error or a refusal, with a title and one paragraph.
integrations::message problem_answer(std::string title, std::string text);

}  // namespace bot
