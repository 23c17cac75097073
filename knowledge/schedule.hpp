#pragma once
// Time in a proposal: the schedule items it lists (days, half-days, weeks, hours per module,
// ranges such as "Weeks 1–3", table columns of hours), the share of that time spent on a topic,
// and shares stated in words ("70 % hands-on", "half of the course").

#include "knowledge/review_text.hpp"
#include "knowledge/rules.hpp"

#include <optional>
#include <string>
#include <vector>

namespace knowledge {

// sessions: modules or sessions listed without a length, weighed equally when nothing in the
// schedule says how long anything is.
enum class time_unit { hours, days, weeks, sessions };

struct schedule_item {
  std::size_t unit = 0;         // the unit it was read from
  std::size_t first_token = 0;  // the words that say what it is about
  std::size_t last_token = 0;
  double hours = 0;             // its length, in hours
  double count = 0;             // its length in `unit_of_time` as written
  time_unit unit_of_time = time_unit::hours;
  std::size_t container = text_unit::npos;  // the heading unit grouping it, when that heading
                                            // was itself an item (its sub-items replace it)
  int first_index = -1;  // the day or week it starts at, when it names one
  time_unit index_unit = time_unit::days;  // whether first_index counts days or weeks
};

struct schedule {
  std::vector<schedule_item> items;
  double total_hours = 0;
};

// Reads the schedule items of a prepared text; settings give hours per day and days per week,
// and the phrases that mark a line as a summary or as something other than the programme.
schedule read_schedule(const prepared_text& text, const review_settings& settings);

struct share {
  double value = 0;                 // 0..1
  std::string explanation;          // "3 of 6 days (50 %)", "stated: 70 % hands-on"
  std::vector<std::size_t> units;   // where the time on the topic is
};

// The share of the scheduled time spent on items about topic; nullopt without a schedule of at
// least two items.
std::optional<share> schedule_share(const prepared_text& text, const schedule& s,
                                    const phrase_set& topic);

// The share of the scheduled time taken by items about topic that come before the first item
// about until and start in the first half of the programme; nullopt without a schedule.
std::optional<share> leading_share(const prepared_text& text, const schedule& s,
                                   const phrase_set& topic, const phrase_set& until);

// The share a schedule table states in a column about topic ("Hands-on share": 75 %), weighed
// by each row's time; nullopt without such a column.
std::optional<share> column_share(const prepared_text& text, const schedule& s,
                                  const phrase_set& topic);

// The largest share a sentence states for topic ("70 % hands-on", "half of the time on Python
// basics", "most of the course"); nullopt when none is stated.
std::optional<share> stated_share(const prepared_text& text, const phrase_set& topic);

// How long the programme runs, in days: the schedule's total, or the longest duration stated
// for the programme ("a 12-week bootcamp", "3-day workshop"); nullopt when neither is known.
std::optional<double> programme_days(const prepared_text& text, const schedule& s,
                                     const review_settings& settings);

}  // namespace knowledge
