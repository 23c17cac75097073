#include "knowledge/rules.hpp"

#include "knowledge/json_reader.hpp"
#include "knowledge/text.hpp"

#include <sstream>

namespace knowledge {
namespace json = boost::json;
using detail::check_unique_ids;
using detail::child;
using detail::load_failure;
using detail::object_reader;

phrase make_phrase(std::string_view text) {
  phrase p;
  p.text = std::string(text);
  std::string lower;
  std::size_t pos = 0, begin = 0, end = 0;
  while (next_word(text, pos, lower, begin, end)) {
    p.prefix.push_back(end < text.size() && text[end] == '*');
    p.stems.push_back(stem(lower));
    p.words.push_back(std::move(lower));
    lower.clear();
    pos = end;
  }
  return p;
}

namespace {

phrase_set read_phrases(const object_reader& r, std::string_view key, bool required = true) {
  if (!required && r.find(key) == nullptr) return {};
  const auto path = child(r.path(), key);
  phrase_set out;
  const auto texts = r.texts(key);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    auto p = make_phrase(texts[i]);
    if (p.words.empty()) throw load_failure{child(path, i) + ": '" + texts[i] + "' has no words"};
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<std::pair<std::string, phrase_set>> read_named(const json::value& v,
                                                           const std::string& path) {
  const auto* obj = v.if_object();
  if (obj == nullptr || obj->empty())
    throw load_failure{path + ": expected an object of named phrase lists"};
  std::vector<std::pair<std::string, phrase_set>> out;
  for (const auto& kv : *obj) {
    const std::string name(kv.key());
    phrase_set phrases;
    const auto* arr = kv.value().if_array();
    if (arr == nullptr || arr->empty())
      throw load_failure{child(path, name) + ": expected a non-empty array of phrases"};
    for (std::size_t i = 0; i < arr->size(); ++i) {
      const auto* s = (*arr)[i].if_string();
      if (s == nullptr) throw load_failure{child(child(path, name), i) + ": expected a string"};
      auto p = make_phrase(*s);
      if (p.words.empty())
        throw load_failure{child(child(path, name), i) + ": '" + std::string(*s) + "' has no words"};
      phrases.push_back(std::move(p));
    }
    out.emplace_back(name, std::move(phrases));
  }
  return out;
}

double read_share(const object_reader& r, condition& c, const review_settings& settings) {
  if (const auto* setting = r.find("setting")) {
    const auto* name = setting->if_string();
    if (name == nullptr || *name != "basics_share_threshold")
      throw load_failure{child(r.path(), "setting") + ": the only share setting is "
                                                      "'basics_share_threshold'"};
    c.share_setting = std::string(*name);
    return settings.basics_share_threshold;
  }
  return r.number("min_share", 0.0, 1.0, 0.5);
}

condition read_condition(const json::value& v, const std::string& path,
                         const review_settings& settings, int depth = 0) {
  if (depth > 8) throw load_failure{path + ": conditions nested too deeply"};
  const auto* obj = v.if_object();
  if (obj == nullptr) throw load_failure{path + ": expected a condition object"};
  const auto* kind_value = obj->if_contains("kind");
  if (kind_value == nullptr || !kind_value->is_string())
    throw load_failure{path + "/kind: missing (phrases, near, in_section, all, any, absent, "
                              "schedule_share, leading_share, stated_share, vendors, groups)"};
  const std::string kind(kind_value->get_string());
  condition c;
  const auto children = [&](const object_reader& r) {
    const auto* arr = r.required("of").if_array();
    if (arr == nullptr || arr->empty()) throw load_failure{path + "/of: expected conditions"};
    for (std::size_t i = 0; i < arr->size(); ++i)
      c.children.push_back(read_condition((*arr)[i], child(child(path, "of"), i), settings,
                                          depth + 1));
  };
  if (kind == "phrases") {
    object_reader r(v, path, {"kind", "phrases", "min_count", "ignore_negation"});
    c.kind = condition_kind::phrases;
    c.phrases = read_phrases(r, "phrases");
    c.min_count = static_cast<std::size_t>(r.number("min_count", 1, 1000, 1));
    c.ignore_negation = r.flag("ignore_negation", false);
  } else if (kind == "near") {
    object_reader r(v, path, {"kind", "phrases", "other", "window", "ignore_negation"});
    c.kind = condition_kind::near;
    c.phrases = read_phrases(r, "phrases");
    c.other = read_phrases(r, "other");
    c.window = static_cast<std::size_t>(r.number("window", 1, 100, 12));
    c.ignore_negation = r.flag("ignore_negation", false);
  } else if (kind == "in_section") {
    object_reader r(v, path, {"kind", "section", "phrases"});
    c.kind = condition_kind::in_section;
    c.other = read_phrases(r, "section");
    c.phrases = read_phrases(r, "phrases");
  } else if (kind == "all" || kind == "any") {
    object_reader r(v, path, {"kind", "of"});
    c.kind = kind == "all" ? condition_kind::all : condition_kind::any;
    children(r);
  } else if (kind == "absent") {
    object_reader r(v, path, {"kind", "of"});
    c.kind = condition_kind::absent;
    c.children.push_back(read_condition(r.required("of"), path + "/of", settings, depth + 1));
  } else if (kind == "schedule_share" || kind == "stated_share") {
    object_reader r(v, path, {"kind", "topic", "min_share", "setting"});
    c.kind = kind == "schedule_share" ? condition_kind::schedule_share : condition_kind::stated_share;
    c.phrases = read_phrases(r, "topic");
    c.min_share = read_share(r, c, settings);
  } else if (kind == "leading_share") {
    object_reader r(v, path, {"kind", "topic", "until", "min_share"});
    c.kind = condition_kind::leading_share;
    c.phrases = read_phrases(r, "topic");
    c.other = read_phrases(r, "until");
    c.min_share = r.number("min_share", 0.0, 1.0, 0.25);
  } else if (kind == "vendors") {
    object_reader r(v, path, {"kind", "families", "open", "min_count"});
    c.kind = condition_kind::vendors;
    c.named = read_named(r.required("families"), path + "/families");
    c.other = read_phrases(r, "open");
    c.min_count = static_cast<std::size_t>(r.number("min_count", 1, 1000, 2));
  } else if (kind == "groups") {
    object_reader r(v, path, {"kind", "groups", "max"});
    c.kind = condition_kind::groups;
    c.named = read_named(r.required("groups"), path + "/groups");
    c.max_groups = static_cast<std::size_t>(r.number("max", 0, 100, 0));
  } else {
    throw load_failure{path + "/kind: unknown kind '" + kind + "'"};
  }
  return c;
}

rule_examples read_examples(const object_reader& r) {
  rule_examples ex;
  if (r.find("examples") == nullptr) return ex;
  object_reader e(r.required("examples"), child(r.path(), "examples"), {"match", "no_match"});
  ex.match = e.optional_texts("match");
  ex.no_match = e.optional_texts("no_match");
  return ex;
}

// Errors inside a rule name the rule as well as the path.
template <class F>
auto with_rule_id(const json::value& v, F&& read) {
  std::string id = "?";
  if (const auto* obj = v.if_object())
    if (const auto* idv = obj->if_contains("id"); idv && idv->is_string()) id = idv->get_string();
  try {
    return read();
  } catch (const load_failure& f) {
    throw load_failure{"rule '" + id + "': " + f.message};
  }
}

review_settings read_settings(const object_reader& parent) {
  review_settings s;
  object_reader r(parent.required("settings"), child(parent.path(), "settings"),
                  {"basics_share_threshold", "negation_window", "hours_per_day", "days_per_week",
                   "max_evidence", "negation_cues", "contrast_cues", "clause_breaks",
                   "post_negation_cues", "schedule_exclusions"});
  s.basics_share_threshold = r.number("basics_share_threshold", 0.05, 1.0, 0.5);
  s.negation_window = static_cast<std::size_t>(r.number("negation_window", 1, 30, 6));
  s.hours_per_day = r.number("hours_per_day", 1, 24, 7);
  s.days_per_week = r.number("days_per_week", 1, 7, 5);
  s.max_evidence = static_cast<std::size_t>(r.number("max_evidence", 1, 20, 3));
  s.negation_cues = read_phrases(r, "negation_cues");
  s.contrast_cues = read_phrases(r, "contrast_cues");
  s.clause_breaks = read_phrases(r, "clause_breaks");
  s.post_negation_cues = read_phrases(r, "post_negation_cues");
  s.schedule_exclusions = read_phrases(r, "schedule_exclusions");
  return s;
}

scoring_rules read_scoring(const object_reader& parent) {
  scoring_rules s;
  object_reader r(parent.required("scoring"), child(parent.path(), "scoring"),
                  {"start", "red_flag", "warning", "coverage_missing", "coverage_partial",
                   "avoid_signal", "proceed_at", "do_not_proceed_below",
                   "do_not_proceed_red_flags", "do_not_proceed_avoid_signals"});
  s.start = r.number("start", 0, 100, 100);
  s.red_flag = r.number("red_flag", 0, 100, 15);
  s.warning = r.number("warning", 0, 100, 7);
  s.coverage_missing = r.number("coverage_missing", 0, 100, 4);
  s.coverage_partial = r.number("coverage_partial", 0, 100, 2);
  s.avoid_signal = r.number("avoid_signal", 0, 100, 5);
  s.proceed_at = r.number("proceed_at", 0, 100, 80);
  s.do_not_proceed_below = r.number("do_not_proceed_below", 0, 100, 50);
  s.do_not_proceed_red_flags =
      static_cast<std::size_t>(r.number("do_not_proceed_red_flags", 1, 100, 2));
  s.do_not_proceed_avoid_signals =
      static_cast<std::size_t>(r.number("do_not_proceed_avoid_signals", 1, 100, 1));
  if (s.do_not_proceed_below > s.proceed_at)
    throw load_failure{r.path() + ": do_not_proceed_below must not exceed proceed_at"};
  return s;
}

}  // namespace

review_rules read_review_rules(const json::value& v, const std::string& path) {
  object_reader r(v, path, {"settings", "scoring", "flags", "coverage", "categories", "avoid"});
  review_rules rules;
  rules.settings = read_settings(r);
  rules.scoring = read_scoring(r);
  const auto& settings = rules.settings;

  rules.flags = r.objects("flags", [&](const json::value& fv, const std::string& fpath) {
    return with_rule_id(fv, [&] {
      object_reader f(fv, fpath,
                      {"id", "severity", "title", "why", "question", "looked_for", "when",
                       "examples"});
      flag_rule rule;
      rule.id = f.text("id");
      rule.severity = f.text("severity");
      if (rule.severity != "red_flag" && rule.severity != "warning")
        throw load_failure{fpath + "/severity: must be red_flag or warning"};
      rule.title = f.text("title");
      rule.why = f.text("why");
      rule.question = f.text("question");
      rule.looked_for = f.optional_text("looked_for");
      rule.when = read_condition(f.required("when"), fpath + "/when", settings);
      rule.examples = read_examples(f);
      return rule;
    });
  });
  check_unique_ids(rules.flags, child(path, "flags"));

  rules.coverage = r.objects("coverage", [&](const json::value& cv, const std::string& cpath) {
    return with_rule_id(cv, [&] {
      object_reader c(cv, cpath,
                      {"id", "kind", "title", "groups", "covered_at", "partial_at", "share_topic",
                       "covered_share", "partial_share", "question", "examples"});
      coverage_rule rule;
      rule.id = c.text("id");
      rule.kind = c.text("kind");
      if (rule.kind != "capability" && rule.kind != "criterion")
        throw load_failure{cpath + "/kind: must be capability or criterion"};
      rule.title = c.text("title");
      rule.groups = read_named(c.required("groups"), cpath + "/groups");
      rule.covered_at = static_cast<std::size_t>(c.number("covered_at", 1, 100, 2));
      rule.partial_at = static_cast<std::size_t>(c.number("partial_at", 1, 100, 1));
      if (rule.partial_at > rule.covered_at)
        throw load_failure{cpath + "/partial_at: must not exceed covered_at"};
      rule.share_topic = read_phrases(c, "share_topic", false);
      rule.covered_share = c.number("covered_share", 0, 1, 0.5);
      rule.partial_share = c.number("partial_share", 0, 1, 0.25);
      const double question = c.number("question", -1, 100, -1);
      if (question != static_cast<int>(question))
        throw load_failure{cpath + "/question: must be a whole number (an index into the questions)"};
      rule.question = static_cast<int>(question);
      rule.examples = read_examples(c);
      return rule;
    });
  });
  check_unique_ids(rules.coverage, child(path, "coverage"));

  rules.categories = r.objects("categories", [&](const json::value& cv, const std::string& cpath) {
    return with_rule_id(cv, [&] {
      object_reader c(cv, cpath, {"id", "type_id", "signals", "examples"});
      category_rule rule;
      rule.id = c.text("id");
      rule.type_id = c.text("type_id");
      rule.signals = c.objects("signals", [&](const json::value& sv, const std::string& spath) {
        object_reader s(sv, spath, {"label", "phrases", "days", "weight"});
        category_signal sig;
        sig.label = s.text("label");
        sig.phrases = read_phrases(s, "phrases", false);
        if (const auto* days = s.find("days")) {
          const auto* arr = days->if_array();
          if (arr == nullptr || arr->size() != 2)
            throw load_failure{spath + "/days: expected [min, max]"};
          sig.min_days = detail::read_number((*arr)[0], spath + "/days/0", 0, 10000);
          sig.max_days = detail::read_number((*arr)[1], spath + "/days/1", sig.min_days, 10000);
        }
        if (sig.phrases.empty() && sig.max_days == 0)
          throw load_failure{spath + ": a signal needs phrases or days"};
        sig.weight = s.number("weight", 0, 100, 1);
        return sig;
      });
      rule.examples = read_examples(c);
      return rule;
    });
  });
  check_unique_ids(rules.categories, child(path, "categories"));

  rules.avoid = r.objects("avoid", [&](const json::value& av, const std::string& apath) {
    return with_rule_id(av, [&] {
      object_reader a(av, apath, {"id", "avoid_item", "when", "examples"});
      avoid_rule rule;
      rule.id = a.text("id");
      const double item = a.number("avoid_item", 0, 100, 0);
      if (item != static_cast<int>(item))
        throw load_failure{apath + "/avoid_item: must be a whole number (an index into the list)"};
      rule.avoid_item = static_cast<int>(item);
      rule.when = read_condition(a.required("when"), apath + "/when", settings);
      rule.examples = read_examples(a);
      return rule;
    });
  });
  check_unique_ids(rules.avoid, child(path, "avoid"));
  return rules;
}

namespace {

std::string join_phrases(const phrase_set& set) {
  std::string out;
  for (const auto& p : set) {
    if (!out.empty()) out += ", ";
    out += p.text;
  }
  return out;
}

void describe(std::ostringstream& out, const condition& c, int indent) {
  const std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  switch (c.kind) {
    case condition_kind::phrases:
      out << pad << "mentions (" << c.min_count << "+" << (c.ignore_negation ? ", negation ignored" : "")
          << "): " << join_phrases(c.phrases) << "\n";
      break;
    case condition_kind::near:
      out << pad << "near (within " << c.window << " words): [" << join_phrases(c.phrases)
          << "] with [" << join_phrases(c.other) << "]\n";
      break;
    case condition_kind::in_section:
      out << pad << "under a heading about [" << join_phrases(c.other) << "]: "
          << join_phrases(c.phrases) << "\n";
      break;
    case condition_kind::all:
    case condition_kind::any:
      out << pad << (c.kind == condition_kind::all ? "all of:" : "any of:") << "\n";
      for (const auto& ch : c.children) describe(out, ch, indent + 1);
      break;
    case condition_kind::absent:
      out << pad << "nowhere in the document:\n";
      describe(out, c.children.front(), indent + 1);
      break;
    case condition_kind::schedule_share:
    case condition_kind::stated_share:
      out << pad << (c.kind == condition_kind::schedule_share ? "scheduled" : "stated")
          << " share of time >= " << c.min_share
          << (c.share_setting.empty() ? "" : " (" + c.share_setting + ")") << " on: "
          << join_phrases(c.phrases) << "\n";
      break;
    case condition_kind::leading_share:
      out << pad << "opening share of time >= " << c.min_share << " on [" << join_phrases(c.phrases)
          << "] before [" << join_phrases(c.other) << "]\n";
      break;
    case condition_kind::vendors:
      out << pad << "one proprietary vendor named " << c.min_count << "+ times, no open alternative\n";
      for (const auto& [name, set] : c.named) out << pad << "  " << name << ": " << join_phrases(set) << "\n";
      out << pad << "  open: " << join_phrases(c.other) << "\n";
      break;
    case condition_kind::groups:
      out << pad << "at most " << c.max_groups << " of these topics:\n";
      for (const auto& [name, set] : c.named) out << pad << "  " << name << ": " << join_phrases(set) << "\n";
      break;
  }
}

}  // namespace

std::string describe_rules(const review_rules& rules) {
  std::ostringstream out;
  const auto& s = rules.settings;
  out << "settings: basics_share_threshold=" << s.basics_share_threshold
      << " negation_window=" << s.negation_window << " hours_per_day=" << s.hours_per_day
      << " days_per_week=" << s.days_per_week << " max_evidence=" << s.max_evidence << "\n";
  out << "  negation: " << join_phrases(s.negation_cues) << "\n";
  out << "  contrast: " << join_phrases(s.contrast_cues) << "\n";
  out << "  clause breaks: " << join_phrases(s.clause_breaks) << "\n";
  out << "  negation after: " << join_phrases(s.post_negation_cues) << "\n";
  const auto& sc = rules.scoring;
  out << "scoring: start " << sc.start << ", red flag -" << sc.red_flag << ", warning -"
      << sc.warning << ", coverage missing -" << sc.coverage_missing << ", partial -"
      << sc.coverage_partial << ", avoid signal -" << sc.avoid_signal << "; proceed at >= "
      << sc.proceed_at << " with no red flag; do not proceed below " << sc.do_not_proceed_below
      << " or with " << sc.do_not_proceed_red_flags << "+ red flags or "
      << sc.do_not_proceed_avoid_signals << "+ avoid signals\n";
  for (const auto& f : rules.flags) {
    out << "\nflag " << f.id << " (" << f.severity << "): " << f.title << "\n";
    describe(out, f.when, 1);
    out << "  examples: " << f.examples.match.size() << " must match, "
        << f.examples.no_match.size() << " must not\n";
  }
  for (const auto& c : rules.coverage) {
    out << "\ncoverage " << c.id << " (" << c.kind << "): " << c.title << "; covered at "
        << c.covered_at << " topics, partial at " << c.partial_at << "\n";
    for (const auto& [name, set] : c.groups) out << "  " << name << ": " << join_phrases(set) << "\n";
    if (!c.share_topic.empty())
      out << "  share of time on [" << join_phrases(c.share_topic) << "]: covered >= "
          << c.covered_share << ", partial >= " << c.partial_share << "\n";
  }
  for (const auto& c : rules.categories) {
    out << "\ncategory " << c.id << " (playbook type " << c.type_id << ")\n";
    for (const auto& sig : c.signals) {
      out << "  " << sig.label << " (weight " << sig.weight << ")";
      if (!sig.phrases.empty()) out << ": " << join_phrases(sig.phrases);
      if (sig.max_days > 0) out << " [" << sig.min_days << "-" << sig.max_days << " days]";
      out << "\n";
    }
  }
  for (const auto& a : rules.avoid) {
    out << "\navoid signal " << a.id << "\n";
    describe(out, a.when, 1);
  }
  return out.str();
}

}  // namespace knowledge
