#pragma once
// Reads the request of a Microsoft Teams outgoing webhook: a Bot Framework Activity (JSON) that
// Teams posts when someone @mentions the webhook in a channel. Call after hmac_verifier::verify.

#include "integrations/chat/command.hpp"
#include "integrations/error.hpp"

#include <string_view>

namespace integrations::teams {

// The Activity as a chat_command. activity.type must be "message" and activity.text a string.
// from = platform::teams, command = "/playbook", text = activity.text as plain text:
//  - the webhook's own <at>Name</at> mention removed (the one named by a mention entity for the
//    recipient, else by recipient.name, else the first); other <at>Name</at> become "Name";
//  - HTML tags removed, <br> and </p> (also </div>, </li>) turned into line breaks;
//  - entities decoded (&amp; &lt; &gt; &quot; &apos; &#39; numeric; &nbsp; becomes a space);
//  - surrounding whitespace trimmed and a leading "/playbook" or "playbook" word dropped.
// user_id = from.aadObjectId when present, else from.id; user_name = from.name (all empty when
// `from` is absent); channel_id = channelData.channel.id, else conversation.id; channel_name =
// channelData.channel.name, else conversation.name; team_id = channelData.team.id.
// Errors name the field: "activity.type must be \"message\" ...", "activity.text is missing",
// "activity.from must be an object", "the body is not valid UTF-8", "malformed JSON: ...".
result<chat_command> parse_activity(std::string_view body);

}  // namespace integrations::teams
