#include "bot/ticket_content.hpp"

#include "bot/commands.hpp"
#include "integrations/http/crypto.hpp"

#include <algorithm>

namespace bot {
namespace tk = integrations::tickets;

bool reviewable_attachment(const tk::attachment& a) {
  const std::string type = lowercase(a.mime_type);
  const std::string name = lowercase(a.filename);
  return type == "application/pdf" ||
         type == "application/vnd.openxmlformats-officedocument.wordprocessingml.document" ||
         name.ends_with(".pdf") || name.ends_with(".docx");
}

std::string content_fingerprint(const tk::ticket_event& e) {
  // Lengths before each part, so no two different tickets run together into the same bytes.
  std::string all;
  const auto add = [&all](std::string_view part) {
    all += std::to_string(part.size());
    all += ':';
    all += part;
  };
  add(e.title);
  add(e.body.value_or(""));
  for (const auto& a : e.attachments) {
    if (!reviewable_attachment(a)) continue;
    add(a.id);
    add(std::to_string(a.size));
    add(a.filename);
  }
  return integrations::crypto::to_hex(integrations::crypto::sha256(all));
}

ticket_document ticket_text(std::string_view title, std::string_view body,
                            const std::vector<attachment_text>& attachments,
                            const knowledge::extract_limits& limits) {
  ticket_document out;
  std::string typed;
  typed.append(title).append("\n\n").append(body);
  if (auto doc = knowledge::extract_document(typed, limits)) {
    out.doc = std::move(*doc);
    out.sources.push_back("ticket description");
  } else {
    // Only the title is left (the description was binary or too long): review what there is.
    out.doc.lines.push_back({std::string(title.empty() ? "(untitled ticket)" : title), 1, 0, "", false});
    out.unreadable.push_back("ticket description: " + doc.error().message);
  }
  for (const auto& a : attachments) {
    if (!a.text) {
      out.unreadable.push_back(a.filename + ": " + a.text.error().message);
      continue;
    }
    out.sources.push_back("attachment " + a.filename);
    out.doc.pages = std::max(out.doc.pages, a.text->pages);
    for (auto line : a.text->lines) {
      line.section = line.section.empty() ? a.filename : a.filename + " \xE2\x80\xBA " + line.section;
      out.doc.lines.push_back(std::move(line));
    }
  }
  for (const auto& line : out.doc.lines) out.text.append(line.text).push_back('\n');
  return out;
}

}  // namespace bot
