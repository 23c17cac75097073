#include "bot/outbox_cli.hpp"

#include "bot/review_wording.hpp"
#include "bot/utc_time.hpp"
#include "storage/database.hpp"
#include "storage/tickets.hpp"

#include <charconv>
#include <ostream>

namespace bot {

const char* const outbox_usage = R"(Usage:
  playbook-bot outbox list        comments not delivered yet: pending (with their next attempt)
                                  and failed (with the ticket system's answer)
  playbook-bot outbox retry ID    try a failed or dropped comment again, now
  playbook-bot outbox drop ID     give up on a pending or failed comment
Every command also takes --config FILE.
)";

namespace {

std::optional<std::int64_t> parse_id(const std::string& text) {
  std::int64_t id = 0;
  const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc{} || p != text.data() + text.size() || id <= 0) return std::nullopt;
  return id;
}

std::string when(std::int64_t t) { return t == 0 ? "-" : utc_text(t, "%Y-%m-%d %H:%M:%S UTC"); }

// The system's answer on one line, shortened: it may be long and come from a remote server.
std::string one_line(std::string text) {
  for (char& c : text)
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  return shortened(text, 160);
}

int list(storage::ticket_store& store, std::ostream& out) {
  const auto items = store.undelivered();
  if (items.empty()) {
    out << "Nothing waiting: every review comment was delivered.\n";
    return 0;
  }
  for (const auto& i : items) {
    out << "#" << i.id << "  " << i.state << "  " << i.system << " " << i.ticket << "  attempts "
        << i.attempts << "  queued " << when(i.created_at) << "\n";
    if (i.state == "pending") out << "    next attempt " << when(i.next_attempt_at) << "\n";
    if (!i.last_error.empty() || i.last_status != 0)
      out << "    last answer: " << (i.last_status != 0 ? "HTTP " + std::to_string(i.last_status) + " " : "")
          << one_line(i.last_error) << "\n";
  }
  return 0;
}

}  // namespace

int run_outbox_cli(const std::vector<std::string>& args, const settings& s, std::int64_t now,
                   std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    (args.empty() ? err : out) << outbox_usage;
    return args.empty() ? 2 : 0;
  }
  const std::string& what = args[0];
  if (what != "list" && what != "retry" && what != "drop") {
    err << "outbox: unknown command '" << what << "'\n" << outbox_usage;
    return 2;
  }
  std::optional<std::int64_t> id;
  if (what == "list") {
    if (args.size() != 1) {
      err << "outbox list takes no arguments\n";
      return 2;
    }
  } else {
    if (args.size() != 2 || !(id = parse_id(args[1]))) {
      err << "outbox " << what << ": name one entry by its number, as `outbox list` shows it\n";
      return 2;
    }
  }
  storage::database db(database_options_of(s));
  storage::ticket_store store(db);
  if (what == "list") return list(store, out);
  const auto entry = store.outbox_entry(*id);
  if (!entry) {
    err << "outbox: there is no entry #" << *id << "\n";
    return 1;
  }
  if (what == "retry") {
    if (!store.retry(*id, now)) {
      err << "outbox: #" << *id << " is " << entry->state << "; only failed or dropped entries can be retried\n";
      return 1;
    }
    out << "#" << *id << " (" << entry->system << " " << entry->ticket
        << ") will be delivered again shortly by the running server.\n";
    return 0;
  }
  if (!store.drop(*id, now)) {
    err << "outbox: #" << *id << " is " << entry->state << "; only pending or failed entries can be dropped\n";
    return 1;
  }
  out << "#" << *id << " (" << entry->system << " " << entry->ticket << ") dropped; it will not be delivered.\n";
  return 0;
}

}  // namespace bot
