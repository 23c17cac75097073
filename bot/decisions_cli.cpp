#include "bot/decisions_cli.hpp"

#include "bot/decision_answers.hpp"
#include "bot/decision_command.hpp"
#include "bot/decision_csv.hpp"
#include "integrations/plain/render.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

namespace bot {

const char* const decisions_usage = R"(Usage:
  playbook-bot decisions list [N]                  the newest decisions (default 20)
  playbook-bot decisions show VENDOR               a vendor's status and its whole history
  playbook-bot decisions search WORDS              decisions and reviews matching the words
  playbook-bot decisions export [--format csv|json]   every decision, oldest first, to stdout
  playbook-bot decisions import FILE.csv [--skip-bad-rows]
                                                   past decisions from a spreadsheet; a file
                                                   with bad rows imports nothing unless
                                                   --skip-bad-rows
  playbook-bot decisions alias VENDOR OTHER-NAME   another spelling that means the same vendor
Every command also takes --config FILE.
)";

namespace {

constexpr std::string_view cli_prefix = "/playbook";

std::string joined(const std::vector<std::string>& args, std::size_t from) {
  std::string out;
  for (std::size_t i = from; i < args.size(); ++i) {
    if (!out.empty()) out += ' ';
    out += args[i];
  }
  return out;
}

boost::json::object to_json(const storage::decision& d) {
  return {{"id", d.id},
          {"decided_at", iso_utc(d.decided_at)},
          {"vendor", d.vendor},
          {"outcome", storage::outcome_name(d.what)},
          {"rationale", d.rationale},
          {"conditions", d.conditions},
          {"revisit_on", d.revisit_on},
          {"ticket", d.ticket},
          {"decided_by", d.decided_by},
          {"decided_by_name", d.decided_by_name},
          {"source", d.source},
          {"place", d.place}};
}

int import_file(storage::decision_store& store, const std::vector<std::string>& args,
                const storage::actor& me, std::int64_t now, std::ostream& out, std::ostream& err) {
  std::string file;
  bool skip_bad = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--skip-bad-rows")
      skip_bad = true;
    else if (file.empty())
      file = args[i];
    else {
      err << "playbook-bot: decisions import takes one file\n";
      return 2;
    }
  }
  if (file.empty()) {
    err << "playbook-bot: decisions import needs a CSV file\n";
    return 2;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    err << "playbook-bot: cannot read " << file << "\n";
    return 1;
  }
  std::ostringstream text;
  text << in.rdbuf();
  storage::actor by = me;
  by.source = "import";
  by.place = file;
  const auto parsed = read_decision_csv(text.str(), by, now);
  for (const auto& p : parsed.problems) err << file << ":" << p.line << ": " << p.message << "\n";
  if (!parsed.problems.empty() && (!skip_bad || parsed.rows.empty())) {
    err << "playbook-bot: nothing imported";
    if (!skip_bad && !parsed.rows.empty())
      err << " (" << parsed.rows.size() << " good rows; fix the rows above or use --skip-bad-rows)";
    err << "\n";
    return 1;
  }
  const auto n = store.import_all(parsed.rows);
  out << "imported " << n << " decision" << (n == 1 ? "" : "s") << " from " << file;
  if (!parsed.problems.empty()) out << ", skipped " << parsed.problems.size() << " bad rows";
  out << "\n";
  return 0;
}

}  // namespace

int run_decisions_cli(const std::vector<std::string>& args, const settings& s,
                      const storage::actor& me, std::int64_t now, std::ostream& out,
                      std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    (args.empty() ? err : out) << decisions_usage;
    return args.empty() ? 2 : 0;
  }
  const std::string& sub = args[0];
  if (sub != "list" && sub != "show" && sub != "search" && sub != "export" && sub != "import" &&
      sub != "alias") {
    err << "playbook-bot: unknown decisions command '" << sub << "'\n\n" << decisions_usage;
    return 2;
  }
  storage::database db(database_options_of(s));
  storage::decision_store store(db);

  if (sub == "list") {
    std::size_t n = 20;
    if (args.size() > 2 || (args.size() == 2 && !(std::istringstream(args[1]) >> n))) {
      err << "playbook-bot: decisions list takes a number\n";
      return 2;
    }
    out << integrations::plain::render(decision_list_answer("Recent decisions", store.recent(n), cli_prefix))
        << "\n";
    return 0;
  }
  if (sub == "show") {
    const auto name = parse_vendor_name(joined(args, 1), "playbook-bot decisions show");
    if (!name) {
      err << "playbook-bot: " << name.error().message << "\n";
      return 2;
    }
    if (const auto v = store.find_vendor(*name, 1'000'000)) {
      out << integrations::plain::render(vendor_answer(*v, cli_prefix)) << "\n";
      return 0;
    }
    out << integrations::plain::render(unknown_vendor_answer(*name, store.similar_vendors(*name), cli_prefix))
        << "\n";
    return 1;
  }
  if (sub == "search") {
    const auto words = joined(args, 1);
    if (words.empty()) {
      err << "playbook-bot: decisions search needs words\n";
      return 2;
    }
    const auto hits = store.search(words, 20);
    out << integrations::plain::render(search_answer(words, hits, cli_prefix)) << "\n";
    return hits.empty() ? 1 : 0;
  }
  if (sub == "export") {
    std::string format = "csv";
    for (std::size_t i = 1; i < args.size(); ++i) {
      if (args[i] == "--format" && i + 1 < args.size())
        format = args[++i];
      else if (args[i].starts_with("--format="))
        format = args[i].substr(9);
      else {
        err << "playbook-bot: decisions export takes --format csv|json\n";
        return 2;
      }
    }
    if (format == "csv") {
      out << decision_csv_header();
      store.each_decision([&](const storage::decision& d) { out << decision_csv_row(d); });
    } else if (format == "json") {
      boost::json::array all;
      store.each_decision([&](const storage::decision& d) { all.push_back(to_json(d)); });
      out << boost::json::serialize(all) << "\n";
    } else {
      err << "playbook-bot: --format must be csv or json\n";
      return 2;
    }
    return 0;
  }
  if (sub == "import") return import_file(store, args, me, now, out, err);
  // alias
  if (args.size() != 3) {
    err << "playbook-bot: decisions alias takes a vendor and its other name (quote names with "
           "spaces)\n";
    return 2;
  }
  const auto vendor = parse_vendor_name(args[1], "playbook-bot decisions alias");
  const auto alias = parse_vendor_name(args[2], "playbook-bot decisions alias");
  if (!vendor || !alias) {
    err << "playbook-bot: " << (!vendor ? vendor.error().message : alias.error().message) << "\n";
    return 2;
  }
  if (!store.add_alias(*vendor, *alias, me, now)) {
    err << "playbook-bot: no vendor " << *vendor << ", or " << *alias
        << " already names another vendor\n";
    return 1;
  }
  out << *alias << " now also means " << store.find_vendor(*vendor)->vendor.name << "\n";
  return 0;
}

}  // namespace bot
