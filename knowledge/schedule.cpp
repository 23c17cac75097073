#include "knowledge/schedule.hpp"

#include "knowledge/text.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>

namespace knowledge {
namespace {



// A cell without the Markdown emphasis or spaces it opens with ("**Week 4**").
std::string_view without_leading_markup(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '*')) s.remove_prefix(1);
  return s;
}

bool is_one_of(std::string_view w, std::initializer_list<std::string_view> words) {
  return std::find(words.begin(), words.end(), w) != words.end();
}

// "6h", "90min", "1.5hrs" written as one word: the number and the unit.
std::optional<std::pair<double, time_unit>> glued_duration(std::string_view w) {
  std::size_t digits = 0;
  while (digits < w.size() && w[digits] >= '0' && w[digits] <= '9') ++digits;
  if (digits == 0 || digits == w.size() || digits > 4) return std::nullopt;
  const auto n = number_value(w.substr(0, digits));
  const auto suffix = w.substr(digits);
  if (is_one_of(suffix, {"h", "hr", "hrs", "hour", "hours"})) return std::pair{*n, time_unit::hours};
  if (is_one_of(suffix, {"min", "mins", "minutes"})) return std::pair{*n / 60, time_unit::hours};
  if (is_one_of(suffix, {"d", "day", "days"})) return std::pair{*n, time_unit::days};
  if (is_one_of(suffix, {"w", "wk", "wks", "week", "weeks"})) return std::pair{*n, time_unit::weeks};
  return std::nullopt;
}

// Per distinct word of a text, whether test(text, token) holds for its tokens: worked out at
// the first token of that word, then looked up (one byte) instead of comparing strings at every
// token. The test must depend on the token's word only.
template <class Test>
class word_memo {
 public:
  word_memo(const prepared_text& text, Test test)
      : text_(text), test_(test), known_(text.type_count(), unknown) {}

  bool operator()(std::size_t token) {
    auto& k = known_[text_.tokens()[token].type];
    if (k == unknown) k = test_(text_, token) ? 1 : 0;
    return k == 1;
  }

 private:
  static constexpr std::int8_t unknown = -1;
  const prepared_text& text_;
  Test test_;
  std::vector<std::int8_t> known_;
};

struct marker {
  std::size_t begin = 0;  // first token of the marker
  std::size_t end = 0;    // one past its last token
  double count = 0;
  time_unit unit = time_unit::hours;
  int first_index = -1;   // "Day 3", "Weeks 2-4", "Tuesday": which day or week it starts at;
                          // -1 for a length ("3 hours")
  time_unit index_unit = time_unit::days;  // what first_index counts (days or weeks)
};

int weekday_number(std::string_view w) {
  static constexpr std::string_view days[] = {"monday", "tuesday", "wednesday", "thursday",
                                              "friday", "saturday", "sunday"};
  static constexpr std::string_view short_days[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
  for (int i = 0; i < 7; ++i)
    if (w == days[i] || w == short_days[i]) return i + 1;
  return 0;
}

bool range_separator(std::string_view gap) {
  return gap.find('-') != std::string_view::npos || gap.find('&') != std::string_view::npos ||
         gap.find("\xE2\x80\x93") != std::string_view::npos ||
         gap.find("\xE2\x80\x94") != std::string_view::npos;
}

// The number at token i, reading "1.5" (two words around a '.') as one; sets next to the
// token after it.
std::optional<double> read_number(const prepared_text& text, std::size_t i, std::size_t end,
                                  std::size_t& next) {
  auto n = text.number_at(i);
  if (!n) return std::nullopt;
  next = i + 1;
  if (i + 1 < end && text.gap(i, i + 1) == ".") {
    if (auto frac = text.number_at(i + 1)) {
      *n += *frac / std::pow(10.0, static_cast<double>(text.word(i + 1).size()));
      next = i + 2;
    }
  }
  return n;
}

// A number or a range ("1-3", "1 to 3", "4 & 5") at token i; returns (first, last).
std::optional<std::pair<double, double>> read_range(const prepared_text& text, std::size_t i,
                                                    std::size_t end, std::size_t& next) {
  const auto first = read_number(text, i, end, next);
  if (!first) return std::nullopt;
  std::size_t after = 0;
  if (next < end && range_separator(text.gap(next - 1, next))) {
    if (auto last = read_number(text, next, end, after)) {
      next = after;
      return std::pair{*first, *last};
    }
  }
  if (next + 1 < end && is_one_of(text.word(next), {"to", "and", "through", "until", "thru"})) {
    if (auto last = read_number(text, next + 1, end, after)) {
      next = after;
      return std::pair{*first, *last};
    }
  }
  return std::pair{*first, *first};
}

// The time markers of one unit, in order.
// Whether a marker may start at token i: a number, or a word the markers below open with.
bool may_open_marker(const prepared_text& text, std::size_t i) {
  const std::string_view w = text.word(i);
  return text.number_at(i) ||
         is_one_of(w, {"day", "days", "week", "weeks", "module", "session", "lesson", "unit",
                       "part", "half"}) ||
         weekday_number(w) > 0 || glued_duration(w);
}
using marker_words = word_memo<decltype(&may_open_marker)>;

std::vector<marker> find_markers(const prepared_text& text, const text_unit& u, marker_words& opens) {
  std::vector<marker> out;
  const std::size_t end = u.last_token;
  for (std::size_t i = u.first_token; i < end; ++i) {
    if (!opens(i)) continue;  // most words
    const std::string_view w = text.word(i);
    std::size_t next = 0;
    // "Day 1", "Days 1-3", "Week 2", "Weeks 4 to 6": counted as the days or weeks they name.
    if (is_one_of(w, {"day", "days", "week", "weeks"}) && i + 1 < end) {
      if (auto r = read_range(text, i + 1, end, next)) {
        const double n = r->second >= r->first && r->second - r->first < 60 ? r->second - r->first + 1 : 1;
        const time_unit unit = w.starts_with("day") ? time_unit::days : time_unit::weeks;
        out.push_back({i, next, n, unit, static_cast<int>(r->first), unit});
        i = next - 1;
        continue;
      }
    }
    // "Module 3", "Session 2": a numbered part of unknown length.
    if (is_one_of(w, {"module", "session", "lesson", "unit", "part"}) && i + 1 < end) {
      if (auto n = read_number(text, i + 1, end, next)) {
        out.push_back({i, next, 1, time_unit::sessions, static_cast<int>(*n), time_unit::sessions});
        i = next - 1;
        continue;
      }
    }
    // "Monday", "Tue": one day of a week-long plan, when the unit opens with it.
    if (i == u.first_token) {
      if (const int d = weekday_number(w); d > 0) {
        out.push_back({i, i + 1, 1, time_unit::days, 100 + d, time_unit::days});
        continue;
      }
    }
    // "half-day", "half day"
    if (w == "half" && i + 1 < end && is_one_of(text.word(i + 1), {"day", "days"})) {
      out.push_back({i, i + 2, 0.5, time_unit::days});
      ++i;
      continue;
    }
    // "6h", "90min"
    if (auto g = glued_duration(w)) {
      out.push_back({i, i + 1, g->first, g->second});
      continue;
    }
    // "6 hours", "1.5 hrs", "2-3 hours", "3 days", "2 weeks" (most words are not numbers)
    if (!text.number_at(i)) continue;
    if (auto r = read_range(text, i, end, next); r && next < end) {
      const std::string_view unit_word = text.word(next);
      const double n = (r->first + r->second) / 2;
      if (is_one_of(unit_word, {"h", "hr", "hrs", "hour", "hours"})) {
        out.push_back({i, next + 1, n, time_unit::hours});
      } else if (is_one_of(unit_word, {"min", "mins", "minute", "minutes"})) {
        out.push_back({i, next + 1, n / 60, time_unit::hours});
      } else if (is_one_of(unit_word, {"day", "days"})) {
        out.push_back({i, next + 1, n, time_unit::days});
      } else if (is_one_of(unit_word, {"week", "weeks"})) {
        out.push_back({i, next + 1, n, time_unit::weeks});
      } else {
        continue;
      }
      // "6 hours per week" is a rate, not a length: the weeks it applies to say the length.
      if (next + 2 < end && is_one_of(text.word(next + 1), {"per", "a", "each", "every"}) &&
          is_one_of(text.word(next + 2), {"week", "day", "month", "session", "evening"})) {
        out.pop_back();
        i = next + 2;
        continue;
      }
      i = next;
    }
  }
  // A day or week followed by its length ("Week 4 (6 hours)", "Day 1 (half day)") is one item
  // of that length, still known as that day or week.
  for (std::size_t m = 0; m + 1 < out.size(); ++m) {
    if (out[m].first_index < 0 || out[m].unit == time_unit::sessions || out[m + 1].first_index >= 0 ||
        out[m + 1].begin > out[m].end + 2)
      continue;
    out[m].count = out[m + 1].count;
    out[m].unit = out[m + 1].unit;
    out[m].end = out[m + 1].end;
    out.erase(out.begin() + static_cast<std::ptrdiff_t>(m) + 1);
  }
  // A numbered part with a length ("Module 3 (6 hours)") is measured by its length.
  const bool timed = std::any_of(out.begin(), out.end(), [](const marker& m) {
    return m.unit != time_unit::sessions;
  });
  if (timed) std::erase_if(out, [](const marker& m) { return m.unit == time_unit::sessions; });
  return out;
}

double to_hours(double count, time_unit unit, const review_settings& s) {
  switch (unit) {
    case time_unit::hours:
      return count;
    case time_unit::days:
      return count * s.hours_per_day;
    case time_unit::weeks:
      return count * s.days_per_week * s.hours_per_day;
    case time_unit::sessions:
      return count;
  }
  return count;
}

// How a table says how long each row is: a column of durations ("Hours", "Duration", "Days")
// or of indexes ("Week": 1, 2, 3-4 — each row is as many weeks as it names).
struct time_column {
  std::size_t column = 0;
  time_unit unit = time_unit::hours;
  bool index = false;
};

std::optional<time_column> find_time_column(const table_info& t) {
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    const auto& h = t.header[c];
    if (h == "week" || h == "wk" || h == "weeks #" || h == "week #") return time_column{c, time_unit::weeks, true};
    if (h == "day" || h == "day #" || h == "date") return time_column{c, time_unit::days, true};
    if (h.find("hour") != std::string::npos || h.find("hrs") != std::string::npos || h == "h" ||
        h.find("duration") != std::string::npos || h.find("time") != std::string::npos ||
        h.find("length") != std::string::npos || h.find("effort") != std::string::npos)
      return time_column{c, time_unit::hours, false};
    if (h == "days" || h.starts_with("days ") || h.find("(days)") != std::string::npos)
      return time_column{c, time_unit::days, false};
    if (h == "weeks" || h.starts_with("weeks ") || h.find("(weeks)") != std::string::npos)
      return time_column{c, time_unit::weeks, false};
  }
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    const auto& h = t.header[c];
    if (h == "module" || h == "session" || h == "lesson" || h == "unit" || h == "#" ||
        h == "no." || h == "part" || h == "step")
      return time_column{c, time_unit::sessions, true};
  }
  return std::nullopt;
}

// Columns that split each row's time into parts of the day ("Morning", "Afternoon").
std::vector<std::size_t> part_of_day_columns(const table_info& t) {
  std::vector<std::size_t> out;
  for (std::size_t c = 0; c < t.header.size(); ++c) {
    const auto& h = t.header[c];
    if (h.find("morning") != std::string::npos || h.find("afternoon") != std::string::npos ||
        h.find("evening") != std::string::npos || h == "am" || h == "pm" || h.starts_with("am ") ||
        h.starts_with("pm "))
      out.push_back(c);
  }
  return out;
}

// The numbers in a cell: "6", "1.5", "6h", "2 days", "3-4", "3–4".
std::vector<double> cell_numbers(std::string_view cell) {
  std::vector<double> out;
  const char* b = cell.data();
  const char* e = b + cell.size();
  while (b < e) {
    if (*b >= '0' && *b <= '9') {
      double v = 0;
      const auto r = std::from_chars(b, e, v);
      if (r.ec != std::errc{}) break;
      out.push_back(v);
      b = r.ptr;
    } else {
      ++b;
    }
  }
  return out;
}

std::string format_count(double v) {
  char buf[32];
  if (std::fabs(v - std::round(v)) < 1e-9)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

std::string describe_share(double part, double total, const schedule& s) {
  // Say it in the schedule's own unit when every item uses the same one.
  bool same = !s.items.empty();
  for (const auto& it : s.items) same = same && it.unit_of_time == s.items.front().unit_of_time;
  std::string unit = "hours";
  double scale = 1;
  if (same && s.items.front().unit_of_time != time_unit::hours) {
    const auto& first = s.items.front();
    scale = first.count / first.hours;
    unit = first.unit_of_time == time_unit::days    ? "days"
           : first.unit_of_time == time_unit::weeks ? "weeks"
                                                    : "modules";
  }
  const int percent = static_cast<int>(std::lround(100 * part / total));
  return format_count(part * scale) + " of " + format_count(total * scale) + " " + unit + " (" +
         std::to_string(percent) + " %)";
}

// Does this item's time go to topic: its own words, or those of the heading it replaced.
bool item_is_about(const prepared_text& text, const schedule_item& item, const phrase_set& topic) {
  if (text.occurs_in(topic, item.first_token, item.last_token)) return true;
  if (item.container == text_unit::npos) return false;
  const auto& h = text.units()[item.container];
  return text.occurs_in(topic, h.first_token, h.last_token);
}

}  // namespace

schedule read_schedule(const prepared_text& text, const review_settings& settings) {
  schedule out;
  marker_words opens(text, &may_open_marker);
  const auto& units = text.units();
  for (std::size_t ui = 0; ui < units.size(); ++ui) {
    const auto& u = units[ui];
    if (u.first_token == u.last_token) continue;
    // Lines that sum up a schedule or are about something else (support after the programme).
    if (text.occurs_in(settings.schedule_exclusions, u.first_token, u.last_token)) continue;

    if (u.kind == unit_kind::table_row && u.table != text_unit::npos) {
      if (const auto col = find_time_column(text.tables()[u.table]); col && col->column < u.cells.size()) {
        const std::string_view cell = u.cells[col->column];
        const auto numbers = cell_numbers(cell);
        // A row is one item, or one per part of the day when the table has such columns.
        const auto add_row = [&](double count, time_unit unit, int first_index) {
          const auto parts = part_of_day_columns(text.tables()[u.table]);
          std::vector<std::pair<std::size_t, std::size_t>> spans;
          for (auto c : parts)
            if (c < u.cell_tokens.size() && u.cell_tokens[c].first < u.cell_tokens[c].second)
              spans.push_back(u.cell_tokens[c]);
          if (spans.empty()) spans.emplace_back(u.first_token, u.last_token);
          const double share = count / static_cast<double>(parts.empty() ? 1 : parts.size());
          for (const auto& [first, last] : spans)
            out.items.push_back({ui, first, last, to_hours(share, unit, settings), share, unit,
                                 text_unit::npos, first_index, unit});
        };
        if (!numbers.empty() && numbers.front() > 0) {
          time_unit unit = col->unit;
          double count = numbers.front();
          const bool range = numbers.size() >= 2 && numbers[1] > numbers[0] &&
                             numbers[1] - numbers[0] < 60 &&
                             (cell.find('-') != std::string::npos ||
                              cell.find("\xE2\x80\x93") != std::string::npos);
          // "Week 4" or "Days 3-5" in the cell names days or weeks, whatever the column says.
          const std::string lower_cell = ascii_lower(without_leading_markup(cell));
          const bool names_index = lower_cell.starts_with("week") || lower_cell.starts_with("day");
          if (names_index) unit = lower_cell.starts_with("week") ? time_unit::weeks : time_unit::days;
          if (col->index || names_index || (range && col->unit != time_unit::hours)) {
            // "3-4" in a Week column is two weeks ("Days: 3-5" is three days); "5" or "Mon" is one.
            count = range ? numbers[1] - numbers[0] + 1 : 1;
          } else {
            if (cell.find("day") != std::string::npos) unit = time_unit::days;
            if (cell.find("week") != std::string::npos) unit = time_unit::weeks;
            if (cell.find("min") != std::string::npos) count /= 60;
          }
          // An index column names the day or week, so a later "Weeks 3-4 are ..." is a comment.
          const bool index_row = (col->index || names_index) && unit != time_unit::sessions &&
                                 unit != time_unit::hours;
          add_row(count, unit, index_row ? static_cast<int>(numbers.front()) : -1);
          continue;
        }
        if (col->index && !cell.empty()) {  // "Mon", "Day one": a row of the index's unit
          add_row(1, col->unit, -1);
          continue;
        }
      }
    }

    auto markers = find_markers(text, u, opens);
    if (markers.empty()) continue;
    // "Day 2: ...", "On day two ...": the unit opens with its time (a word like "on" may come
    // first); "Python: 20 hours" does not.
    const bool opens_with_time =
        markers.front().begin == u.first_token ||
        (markers.front().begin == u.first_token + 1 &&
         is_one_of(text.word(u.first_token), {"on", "in", "during", "for", "from", "by", "the"}));
    // In prose, only a sentence that opens with its time ("Days 1-3 cover ...") is an item, and
    // only for that time; "within 30 days" in the middle of a sentence is not a schedule. A
    // heading is an item when it opens with its time or is numbered ("Module 2: RAG (6h)"):
    // "Bootcamp (8 weeks, part-time)" as a title describes the whole programme.
    // In prose, lengths ("12 weeks, full-time") describe the programme, not a part of it.
    if (u.kind == unit_kind::sentence) {
      if (!opens_with_time || markers.front().first_index < 0) continue;
      markers.resize(1);
    }
    if (u.kind == unit_kind::heading && !opens_with_time &&
        !is_one_of(text.word(u.first_token), {"module", "session", "part", "unit", "block", "phase",
                                              "step", "lesson", "track", "sprint", "stage"}) &&
        !number_value(text.word(u.first_token)))
      continue;
    const bool topic_after = opens_with_time;
    for (std::size_t m = 0; m < markers.size(); ++m) {
      std::size_t first = 0, last = 0;
      if (markers.size() == 1) {
        // One time in the unit: all of the unit says what it is about, on either side of it
        // ("Module 1 (10 hours): Python basics", "Python: 20 hours").
        first = u.first_token;
        last = u.last_token;
      } else if (topic_after) {
        first = markers[m].end;
        last = m + 1 < markers.size() ? markers[m + 1].begin : u.last_token;
      } else {
        first = m == 0 ? u.first_token : markers[m - 1].end;
        last = markers[m].begin;
      }
      out.items.push_back({ui, first, last, to_hours(markers[m].count, markers[m].unit, settings),
                           markers[m].count, markers[m].unit, text_unit::npos,
                           markers[m].first_index, markers[m].index_unit});
    }
  }

  // A day or week named a second time ("Weeks 3-4 are lectures" under a week-by-week plan) is
  // a comment on the schedule, not more of it. Parts of one row (morning, afternoon) share it.
  {
    std::map<std::pair<int, int>, std::size_t> claimed;  // (unit of time, index) -> unit
    std::erase_if(out.items, [&](const schedule_item& it) {
      if (it.first_index < 0) return false;
      const int unit = static_cast<int>(it.index_unit);
      const int n = it.first_index >= 100 || it.unit_of_time != it.index_unit
                        ? 1
                        : static_cast<int>(std::max(1.0, it.count));
      for (int k = 0; k < n; ++k)
        if (auto c = claimed.find({unit, it.first_index + k}); c != claimed.end() && c->second != it.unit)
          return true;
      for (int k = 0; k < n; ++k) claimed.emplace(std::pair{unit, it.first_index + k}, it.unit);
      return false;
    });
  }

  // Prose that opens with a time usually comments on a schedule given as a table or a list
  // ("Weeks 3 and 4 are lectures"): when there is such a schedule, prose items would count its
  // weeks twice.
  const bool structured = std::any_of(out.items.begin(), out.items.end(), [&](const auto& it) {
    return units[it.unit].kind != unit_kind::sentence;
  });
  if (structured)
    std::erase_if(out.items, [&](const auto& it) { return units[it.unit].kind == unit_kind::sentence; });

  // A heading that is an item ("Week 1-2: Foundations") with items below it ("Day 1: ...") is
  // a group: its sub-items count instead of it, and its words describe them.
  std::vector<bool> has_sub_items(units.size(), false);
  for (const auto& item : out.items) {
    const auto& u = units[item.unit];
    if (u.kind != unit_kind::heading && u.heading != text_unit::npos) has_sub_items[u.heading] = true;
  }
  // Numbered parts without a length weigh equally when nothing else has a length; beside
  // timed items they cannot be weighed at all.
  const bool any_timed = std::any_of(out.items.begin(), out.items.end(), [](const auto& it) {
    return it.unit_of_time != time_unit::sessions;
  });
  if (any_timed)
    std::erase_if(out.items, [](const auto& it) { return it.unit_of_time == time_unit::sessions; });

  std::vector<bool> is_item(units.size(), false);
  for (const auto& item : out.items) is_item[item.unit] = true;
  std::vector<schedule_item> kept;
  for (auto& item : out.items) {
    const auto& u = units[item.unit];
    if (u.kind == unit_kind::heading && has_sub_items[item.unit]) continue;
    if (u.kind != unit_kind::heading && u.heading != text_unit::npos && has_sub_items[u.heading] &&
        is_item[u.heading])
      item.container = u.heading;
    kept.push_back(item);
  }
  out.items = std::move(kept);
  for (const auto& item : out.items) out.total_hours += item.hours;
  return out;
}

std::optional<share> schedule_share(const prepared_text& text, const schedule& s,
                                    const phrase_set& topic) {
  if (s.items.size() < 2 || s.total_hours <= 0) return std::nullopt;
  share out;
  double on_topic = 0;
  for (const auto& item : s.items) {
    if (!item_is_about(text, item, topic)) continue;
    on_topic += item.hours;
    if (out.units.empty() || out.units.back() != item.unit) out.units.push_back(item.unit);
  }
  out.value = on_topic / s.total_hours;
  out.explanation = describe_share(on_topic, s.total_hours, s);
  return out;
}

std::optional<share> leading_share(const prepared_text& text, const schedule& s,
                                   const phrase_set& topic, const phrase_set& until) {
  if (s.items.size() < 2 || s.total_hours <= 0) return std::nullopt;
  // The opening of the programme: every item before the first one about `until` (building).
  // Of that, the time on `topic` (theory) that starts in the first half of the programme.
  share out;
  double on_topic = 0;
  double elapsed = 0;
  // Theory first means the programme opens with it.
  if (!item_is_about(text, s.items.front(), topic) || item_is_about(text, s.items.front(), until)) {
    out.explanation = "the programme does not open with theory";
    return out;
  }
  for (const auto& item : s.items) {
    if (item_is_about(text, item, until)) break;
    if (elapsed < s.total_hours / 2 && item_is_about(text, item, topic)) {
      on_topic += item.hours;
      if (out.units.empty() || out.units.back() != item.unit) out.units.push_back(item.unit);
    }
    elapsed += item.hours;
  }
  out.value = on_topic / s.total_hours;
  out.explanation = describe_share(on_topic, s.total_hours, s) + " on theory before anything is built";
  return out;
}

std::optional<share> column_share(const prepared_text& text, const schedule& s,
                                  const phrase_set& topic) {
  // A table with a column for the topic ("Hands-on share": 75 %) states the share row by row:
  // weighed by each row's time.
  double on_topic = 0, total = 0;
  std::vector<std::size_t> units;
  for (const auto& item : s.items) {
    const auto& u = text.units()[item.unit];
    if (u.kind != unit_kind::table_row || u.table == text_unit::npos) continue;
    const auto& header = text.tables()[u.table].header;
    for (std::size_t c = 0; c < header.size() && c < u.cells.size(); ++c) {
      const bool about_topic = std::any_of(topic.begin(), topic.end(), [&](const phrase& p) {
        return header[c].find(ascii_lower(p.text)) != std::string::npos;
      });
      if (!about_topic || u.cells[c].find('%') == std::string::npos) continue;
      const auto numbers = cell_numbers(u.cells[c]);
      if (numbers.empty() || numbers.front() > 100) continue;
      on_topic += item.hours * numbers.front() / 100;
      total += item.hours;
      if (units.empty() || units.back() != item.unit) units.push_back(item.unit);
      break;
    }
  }
  if (total <= 0) return std::nullopt;
  const int percent = static_cast<int>(std::lround(100 * on_topic / total));
  return share{on_topic / total, "stated per row of the schedule: " + std::to_string(percent) + " %",
               std::move(units)};
}

std::optional<share> stated_share(const prepared_text& text, const phrase_set& topic) {
  std::optional<share> best;
  const auto& tokens = text.tokens();
  // Whether a token may state a share: a number, or a word the tests below look for.
  word_memo states(text, [](const prepared_text& t, std::size_t i) {
    return t.number_at(i).has_value() ||
           is_one_of(t.word(i), {"half", "majority", "most", "thirds", "third", "quarters", "quarter"});
  });
  for (const auto& p : topic) {
    for (const std::size_t at : text.find(p)) {
      const auto& u = text.units()[tokens[at].unit];
      // The share expression closest to the topic within the sentence.
      double value = -1;
      std::size_t best_distance = 13;
      for (std::size_t i = u.first_token; i < u.last_token; ++i) {
        if (tokens[i].negated || !states(i)) continue;
        const std::string_view w = text.word(i);
        double v = -1;
        std::size_t next = 0;
        if (auto n = read_number(text, i, u.last_token, next)) {
          const auto after = std::string_view(u.text).substr(tokens[next - 1].end);
          const bool percent = after.starts_with("%") || after.starts_with(" %") ||
                               (next < u.last_token && text.word(next) == "percent");
          if (percent && *n <= 100) v = *n / 100;
        } else if (w == "half" && !(i + 1 < u.last_token &&
                                     is_one_of(text.word(i + 1), {"day", "days", "hour", "hours",
                                                                  "an", "a"}))) {
          v = 0.5;  // "half of the course"; not "a half-day" or "half an hour"
        } else if (w == "majority" || w == "most") {
          v = 0.6;
        } else if ((w == "thirds" || w == "third") && i > u.first_token) {
          v = text.word(i - 1) == "two" ? 2.0 / 3 : 1.0 / 3;
        } else if ((w == "quarters" || w == "quarter") && i > u.first_token) {
          v = text.word(i - 1) == "three" ? 0.75 : 0.25;
        }
        if (v < 0) continue;
        const std::size_t distance = i > at ? i - at : at - i;
        if (distance < best_distance) {
          best_distance = distance;
          value = v;
        }
      }
      if (value < 0) continue;
      if (!best || value > best->value) {
        best = share{value, "stated: \"" + std::string(u.text.substr(0, 160)) + "\"",
                     {tokens[at].unit}};
      }
    }
  }
  return best;
}

std::optional<double> programme_days(const prepared_text& text, const schedule& s,
                                     const review_settings& settings) {
  if (s.items.size() >= 2 && s.total_hours > 0) return s.total_hours / settings.hours_per_day;
  std::optional<double> longest;
  marker_words opens(text, &may_open_marker);
  for (const auto& u : text.units()) {
    if (text.occurs_in(settings.schedule_exclusions, u.first_token, u.last_token)) continue;
    for (const auto& m : find_markers(text, u, opens)) {
      // "Day 3" names one day of a programme, not its length.
      const std::string_view first = text.word(m.begin);
      if (is_one_of(first, {"day", "days", "week", "weeks"})) continue;
      const double days = to_hours(m.count, m.unit, settings) / settings.hours_per_day;
      if (m.unit != time_unit::hours && (!longest || days > *longest)) longest = days;
    }
  }
  return longest;
}

}  // namespace knowledge
