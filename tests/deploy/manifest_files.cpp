#include "tests/deploy/manifest_files.hpp"

#include <fstream>
#include <sstream>
#include <utility>

namespace deploy_test {

std::string source_path(const std::string& relative) {
  return std::string(PLAYBOOK_SOURCE_DIR) + "/" + relative;
}

std::string read_text(const std::string& relative) {
  std::ifstream in(source_path(relative));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<YAML::Node> load_documents(const std::string& relative) {
  std::vector<YAML::Node> documents;
  // A file that starts with comments and then "---" yields a null first document: skipped.
  for (const auto& document : YAML::LoadAllFromFile(source_path(relative)))
    if (document.IsDefined() && !document.IsNull()) documents.push_back(document);
  return documents;
}

std::optional<YAML::Node> only_of_kind(const std::vector<YAML::Node>& documents, const std::string& kind) {
  std::optional<YAML::Node> found;
  for (const auto& document : documents) {
    if (text(at(document, {"kind"})) != kind) continue;
    if (found) return std::nullopt;
    found = document;
  }
  return found;
}

std::optional<long> dockerfile_user_id() {
  std::istringstream lines(read_text("deploy/Dockerfile"));
  std::optional<long> uid;
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("USER ")) continue;
    std::string user = line.substr(5);
    user = user.substr(0, user.find_first_of(": \t\r"));
    try {
      std::size_t used = 0;
      const long id = std::stol(user, &used);
      uid = used == user.size() ? std::optional<long>(id) : std::nullopt;
    } catch (const std::exception&) {
      uid = std::nullopt;   // a user name: not what the manifests can check against
    }
  }
  return uid;
}

YAML::Node at(const YAML::Node& node, std::initializer_list<std::string_view> path) {
  YAML::Node current;
  current.reset(node);   // reset, never `=`: assigning to a Node writes into the document
  for (const auto key : path) {
    if (!current.IsDefined() || !current.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node next = std::as_const(current)[std::string(key)];
    if (!next.IsDefined()) return YAML::Node(YAML::NodeType::Undefined);
    current.reset(next);
  }
  return current;
}

std::string text(const YAML::Node& node) {
  return node.IsDefined() && node.IsScalar() ? node.Scalar() : std::string();
}

bool is_bool(const YAML::Node& node, bool value) {
  if (!node.IsDefined() || !node.IsScalar()) return false;
  bool parsed = false;
  return YAML::convert<bool>::decode(node, parsed) && parsed == value;
}

YAML::Node named(const YAML::Node& sequence, const std::string& name) {
  if (sequence.IsDefined() && sequence.IsSequence())
    for (const auto& element : sequence)
      if (text(at(element, {"name"})) == name) return element;
  return YAML::Node(YAML::NodeType::Undefined);
}

}  // namespace deploy_test
