#pragma once
// The review as JSON: the stable schema that the CLI prints, ticket comments are built from and
// storage keeps (schema_version 1; see the README's "Review JSON" section).

#include "knowledge/review.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace knowledge {

boost::json::object review_to_json(const review& r);

// review_to_json serialised, pretty-printed with two-space indentation when pretty.
std::string review_json_text(const review& r, bool pretty = true);

}  // namespace knowledge
