#include "bot/decision_service.hpp"

#include "bot/decision_answers.hpp"
#include "bot/decision_command.hpp"
#include "bot/log.hpp"
#include "bot/metrics.hpp"

namespace bot {

namespace im = integrations;

namespace {

im::reply only_to_them(im::message m) { return {std::move(m), im::visibility::ephemeral}; }

im::reply shown(im::message m, bool in_channel) {
  return {std::move(m), in_channel ? im::visibility::in_channel : im::visibility::ephemeral};
}

// Where a decision was made: "#general (C42)", or the channel id alone.
std::string place_of(const im::chat_command& who) {
  if (who.channel_name.empty()) return who.channel_id;
  if (who.channel_id.empty()) return "#" + who.channel_name;
  return "#" + who.channel_name + " (" + who.channel_id + ")";
}

}  // namespace

decision_service::decision_service(storage::decision_store& store, decider_policy policy,
                                   group_membership in_group, clock now, std::string prefix)
    : store_(store),
      policy_(std::move(policy)),
      in_group_(std::move(in_group)),
      now_(std::move(now)),
      prefix_(std::move(prefix)) {}

im::reply decision_service::answer(const parsed_command& cmd, const im::chat_command& who) {
  try {
    switch (cmd.what) {
      case topic::decide:
        return decide(cmd, who);
      case topic::vendor:
        return vendor(cmd);
      case topic::decisions:
        return decisions(cmd);
      default:
        break;
    }
    return only_to_them(problem_answer("Not a decision command", "Try " + prefix_ + " help."));
  } catch (const storage::write_error& e) {
    log::error("decision not recorded",
               {{"request_id", who.request_id}, {"reason", e.what()}, {"user", who.user_id}});
    return only_to_them(problem_answer(
        "Could not record the decision",
        "The decision log could not be written (" + std::string(e.what()) +
            "). Nothing was stored; please try again, and tell whoever runs the bot if it keeps "
            "failing."));
  } catch (const std::exception& e) {
    log::error("decision log unavailable",
               {{"request_id", who.request_id}, {"reason", e.what()}, {"user", who.user_id}});
    return only_to_them(problem_answer("Could not read the decision log",
                                       "The decision log is not available right now; please try "
                                       "again in a moment."));
  }
}

im::reply decision_service::decide(const parsed_command& cmd, const im::chat_command& who) {
  const auto request = parse_decide(cmd.argument, prefix_);
  if (!request) return only_to_them(problem_answer("Not a decision", request.error().message));
  if (who.user_id.empty())
    return only_to_them(problem_answer("Not a decision", "The request did not say who sent it."));

  switch (policy_.check(who.from, who.user_id, in_group_)) {
    case permission::allowed:
      break;
    case permission::unknown:
      return only_to_them(problem_answer(
          "Could not check who may record",
          "Recording is limited to " + policy_.describe() +
              ", and the membership of those groups could not be read from Slack yet. Please try "
              "again in a minute."));
    case permission::not_allowed:
      return only_to_them(problem_answer(
          "You may not record decisions",
          "Recording vendor decisions is limited to " + policy_.describe() +
              ". Anyone may read them. To record this one, ask one of them, or ask whoever runs "
              "the bot to add your id (" + std::string(im::platform_name(who.from)) + ":" +
              who.user_id + ") to PLAYBOOK_DECIDERS."));
  }

  storage::decision_input in;
  in.vendor = request->vendor;
  in.what = request->what;
  in.rationale = request->rationale;
  in.conditions = request->conditions;
  in.revisit_on = request->revisit_on;
  in.ticket = request->ticket;
  in.by = {who.user_id, who.user_name, std::string(im::platform_name(who.from)), place_of(who)};
  in.at = now_();
  const auto stored = store_.record(in);  // committed when it returns
  metrics::decision("chat", storage::outcome_name(stored.what));
  log::info("decision recorded", {{"request_id", who.request_id},
                                  {"decision_id", stored.id},
                                  {"vendor", stored.vendor},
                                  {"outcome", storage::outcome_name(stored.what)},
                                  {"user", who.user_id},
                                  {"platform", im::platform_name(who.from)}});
  return shown(recorded_answer(stored, prefix_), !cmd.is_private);
}

im::reply decision_service::vendor(const parsed_command& cmd) {
  const auto name = parse_vendor_name(cmd.argument, prefix_);
  if (!name) return only_to_them(problem_answer("Which vendor?", name.error().message));
  if (const auto status = store_.find_vendor(*name))
    return shown(vendor_answer(*status, prefix_), cmd.is_public);
  return only_to_them(unknown_vendor_answer(*name, store_.similar_vendors(*name), prefix_));
}

im::reply decision_service::decisions(const parsed_command& cmd) {
  const auto q = parse_decisions_query(cmd.argument, prefix_);
  if (!q) return only_to_them(problem_answer("Which decisions?", q.error().message));
  switch (q->what) {
    case decisions_query::kind::recent:
      return shown(decision_list_answer("Recent decisions", store_.recent(q->limit), prefix_),
                   cmd.is_public);
    case decisions_query::kind::outcome: {
      std::string title(outcome_label(q->only));
      title[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(title[0])));
      return shown(decision_list_answer(title + ": latest decisions",
                                        store_.recent(q->limit, q->only), prefix_),
                   cmd.is_public);
    }
    case decisions_query::kind::search:
      return shown(search_answer(q->words, store_.search(q->words, 10), prefix_), cmd.is_public);
  }
  return only_to_them(problem_answer("Which decisions?", "Try " + prefix_ + " help."));
}

}  // namespace bot
