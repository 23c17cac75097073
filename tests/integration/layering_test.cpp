// knowledge/, storage/ and integrations/ are leaves: none may include another project folder,
// and no include may climb out with "..". bot/ is the only folder that wires them.

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

// Includes under root/leaf that name another project folder or climb out with "..".
std::vector<std::string> violations(const fs::path& root_dir, const std::string& leaf) {
  static const std::regex include_re(R"(^\s*#\s*include\s*"([^"]+)\")");
  std::vector<std::string> found;
  const fs::path root = root_dir / leaf;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    const auto ext = entry.path().extension();
    if (ext != ".hpp" && ext != ".cpp" && ext != ".h" && ext != ".in") continue;
    std::ifstream in(entry.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (!std::regex_search(line, m, include_re)) continue;
      const std::string target = m[1];
      const auto where = entry.path().string() + ":" + std::to_string(n) + ": " + target;
      if (target.find("..") != std::string::npos) found.push_back(where);
      for (const char* other : {"bot/", "knowledge/", "storage/", "integrations/", "tests/"})
        if (target.starts_with(other) && !target.starts_with(leaf + "/")) found.push_back(where);
    }
  }
  return found;
}

TEST(layering, leaf_folders_include_no_other_project_folder) {
  for (const char* leaf : {"knowledge", "storage", "integrations"}) {
    const auto found = violations(PLAYBOOK_SOURCE_DIR, leaf);
    std::string list;
    for (const auto& v : found) list += "\n  " + v;
    EXPECT_TRUE(found.empty()) << leaf << "/ must not include other project folders:" << list;
  }
}

TEST(layering, the_check_sees_a_violation) {
  // Guard against a check that passes because it reads nothing.
  const fs::path root = fs::temp_directory_path() / ("layering-" + std::to_string(::getpid()));
  fs::create_directories(root / "storage");
  std::ofstream(root / "storage" / "a.hpp") << "#include \"storage/ok.hpp\"\n#include \"bot/config.hpp\"\n";
  std::ofstream(root / "storage" / "b.cpp") << "#include \"../knowledge/x.hpp\"\n#include <vector>\n";
  const auto found = violations(root, "storage");
  fs::remove_all(root);
  EXPECT_EQ(found.size(), 2u);
}

}  // namespace
