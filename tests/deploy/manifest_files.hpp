#pragma once
// Reading deploy/ files for the deploy tests: paths from the source tree, YAML documents with
// yaml-cpp, and the few Dockerfile facts the manifests must agree with.

#include <yaml-cpp/yaml.h>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace deploy_test {

// PLAYBOOK_SOURCE_DIR + "/" + relative.
std::string source_path(const std::string& relative);

// The whole file; an empty string when it cannot be read (the test then fails on content).
std::string read_text(const std::string& relative);

// Every non-empty YAML document of the file (--- separated). Throws YAML::Exception on a syntax
// error, with the line and column.
std::vector<YAML::Node> load_documents(const std::string& relative);

// The one document whose `kind` is kind; nullopt when there is none or more than one.
std::optional<YAML::Node> only_of_kind(const std::vector<YAML::Node>& documents, const std::string& kind);

// The numeric user id of the last USER instruction in deploy/Dockerfile (before any ":group").
std::optional<long> dockerfile_user_id();

// The node at path (map keys, outermost first), or an undefined node when any step is missing
// or not a map. Use it instead of chained operator[]: in yaml-cpp, a missing key gives an
// invalid node, and indexing or typing that throws; IsDefined() on the result is always safe.
YAML::Node at(const YAML::Node& node, std::initializer_list<std::string_view> path);

// The node's scalar text; empty when it is missing or not a scalar.
std::string text(const YAML::Node& node);

// Whether the node is a scalar YAML boolean with the given value (a missing node is neither).
bool is_bool(const YAML::Node& node, bool value);

// The sequence element whose `name` is name (env vars, ports, volumes); an undefined node if none.
YAML::Node named(const YAML::Node& sequence, const std::string& name);

}  // namespace deploy_test
