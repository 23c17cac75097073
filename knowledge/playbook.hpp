#pragma once
// The playbook as data: every list of the AI-training vendor playbook, loaded from JSON (the copy
// compiled into the binary, or an organisation's own file).

#include "knowledge/error.hpp"
#include "knowledge/rules.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace knowledge {

// A titled paragraph ("Practitioner instructors." + what follows) or a short item with an id.
struct item {
  std::string id;
  std::string title;
  std::string text;
};

// A section of titled items, with an optional sentence before and after the list.
struct item_section {
  std::string title;
  std::string intro;
  std::vector<item> items;
  std::string outro;
};

struct introduction {
  std::string title;
  std::vector<std::string> paragraphs;
  std::string covers_title;
  std::vector<std::string> covers;
  std::string does_not_cover_title;
  std::vector<std::string> does_not_cover;
};

struct provider_type {
  std::string id;
  std::vector<std::string> aliases;
  std::string name;
  std::vector<std::string> good_at;
  std::vector<std::string> falls_short;
  std::vector<std::string> typical_engagement;
  std::string summary;
};

struct provider_types {
  std::string title;
  std::string intro;
  std::vector<provider_type> items;
};

struct investment {
  std::string title;
  std::string intro;
  std::string invest_when_title;
  std::vector<std::string> invest_when;
  std::string avoid_when_title;
  std::vector<std::string> avoid_when;
};

struct track {
  std::string id;
  std::vector<std::string> aliases;
  std::string title;
  std::string focus;
};

struct tracks {
  std::string title;
  std::string intro;
  std::vector<track> items;
};

struct question_list {
  std::string title;
  std::vector<std::string> items;
  std::string outro;
};

struct takeaways {
  std::string title;
  std::vector<std::string> paragraphs;
};

struct playbook {
  std::string title;
  std::string subtitle;
  introduction intro;
  item_section failure_modes;
  provider_types types;
  item_section capabilities;
  investment invest;
  item_section criteria;
  item_section red_flags;
  item_section formats;
  tracks role_tracks;
  question_list questions;
  takeaways closing;
  review_rules review;  // how proposals are reviewed: phrases, weights, thresholds

  // The provider type or track whose id or alias is name (case-insensitive); nullptr if none.
  const provider_type* find_type(std::string_view name) const;
  const track* find_track(std::string_view name) const;
};

// The playbook JSON compiled into the binary (knowledge/playbook.json).
std::string_view embedded_playbook_json();

// Parses and validates playbook JSON. source names the file in error messages, which also give
// the JSON path of the problem (unknown key, missing or empty field, duplicate id).
result<playbook> parse_playbook(std::string_view json_text, std::string_view source);

// The playbook from path, or the embedded one when path is empty. Errors name the file.
result<playbook> load_playbook(const std::string& path);

}  // namespace knowledge
