#pragma once
// The proposal review: which red flags a vendor's training proposal raises (with the sentences
// that raise them), which capabilities and criteria it covers, what kind of provider it is, the
// "avoid training when" signals in the request, a verdict with a score that explains itself, and
// the questions to ask before signing. Pure: a document and the playbook in, plain data out.

#include "knowledge/document.hpp"
#include "knowledge/playbook.hpp"

#include <optional>
#include <string>
#include <vector>

namespace knowledge {

// Where a finding comes from: the sentence as written and its place in the document.
struct evidence_entry {
  std::string quote;
  std::size_t line = 0;
  std::size_t page = 0;     // 0 when the document has no pages
  std::string section;      // the heading it sits under, "" when none
};

struct flag_finding {
  std::string id;
  std::string severity;     // "red_flag" or "warning"
  std::string title;
  std::string why;
  std::vector<evidence_entry> evidence;  // empty only for absence-based findings
  std::string looked_for;          // absence-based: what was looked for and not found
  std::string detail;              // e.g. "3 of 6 days (50 %)"
  std::optional<double> share;     // the computed share, when the rule measures one
};

struct coverage_finding {
  std::string id;
  std::string kind;    // "capability" or "criterion"
  std::string title;
  std::string status;  // "covered", "partial" or "missing"
  std::vector<std::string> found;    // the topics found
  std::vector<std::string> missing;  // the topics looked for and not found
  std::vector<evidence_entry> evidence;
  std::optional<double> share;       // hands-on time, when the schedule or the text says
  std::string detail;
};

struct category_finding {
  std::string id;        // "mooc", "vendor_cert", "boutique_workshop", "bootcamp"
  std::string type_id;   // the playbook's provider type
  std::string name;      // the playbook's name for it
  std::vector<std::string> signals;      // what decided it
  std::vector<std::string> falls_short;  // the playbook's "where they fall short"
  bool assumed = false;  // no signal at all: the default was taken
};

struct avoid_finding {
  std::string id;
  std::string text;  // the playbook's "avoid external training when" item
  std::vector<evidence_entry> evidence;
};

struct score_step {
  std::string reason;
  double points = 0;  // negative: a deduction
};

struct review {
  std::string verdict;  // "proceed", "proceed_with_conditions", "do_not_proceed"
  int score = 0;        // 0..100
  std::vector<score_step> score_steps;
  std::string score_explanation;
  category_finding category;
  std::vector<flag_finding> red_flags;  // every flag raised, red flags first, then warnings
  std::vector<coverage_finding> coverage;
  std::vector<avoid_finding> avoid_signals;
  std::vector<std::string> questions;
  std::optional<double> basics_share;
  std::optional<double> hands_on_share;
  std::string document_kind;
  std::size_t pages = 0;
  std::size_t lines = 0;
};

// Reviews a document against the playbook's rules.
review review_document(const document& doc, const playbook& book);

// Reviews plain text or Markdown (pasted into chat, an example in the rules); an error when the
// text is empty or not text.
result<review> review_text(std::string_view text, const playbook& book,
                           const extract_limits& limits = {});

}  // namespace knowledge
