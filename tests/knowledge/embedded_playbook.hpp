#pragma once
// Test helpers: the playbook compiled into the binary, loaded once, and a review of some text
// against it (throwing, so a test that cannot review fails loudly).

#include "knowledge/playbook.hpp"
#include "knowledge/review.hpp"

#include <stdexcept>
#include <string_view>

namespace test {

inline const knowledge::playbook& book() {
  static const knowledge::playbook p = knowledge::load_playbook("").value();
  return p;
}

inline knowledge::review reviewed(std::string_view text) {
  auto r = knowledge::review_text(text, book());
  if (!r) throw std::runtime_error("cannot review: " + r.error().message);
  return std::move(*r);
}

}  // namespace test
