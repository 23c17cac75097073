#pragma once
// Vendor names as people type them: "ACME AI Academy, Inc." and "acme ai academy" are one vendor.
// Pure functions, so the matching rules are tested without a database.

#include <string>
#include <string_view>

namespace storage {

// The key a vendor is found by: ASCII letters lowercased, "&" read as "and", punctuation and runs
// of spaces turned into one space, and trailing company-form words (Inc, LLC, Ltd, GmbH, Corp, Co,
// PLC, ...) dropped unless nothing else is left. Non-ASCII letters are kept as they are.
// "Acme AI Academy, Inc." → "acme ai academy".
std::string vendor_key(std::string_view name);

// How alike two keys look, from 0 (nothing in common) to 1 (the same), by their letter trigrams
// (Jaccard index over the padded trigrams); for "did you mean".
double key_similarity(std::string_view a, std::string_view b);

}  // namespace storage
