#pragma once
// What the bot reviews on a ticket: its title and description, then the text of its PDF and DOCX
// attachments, as one document whose lines say which file they came from. Pure.

#include "integrations/tickets/event.hpp"
#include "knowledge/document.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace bot {

// An attachment worth downloading: a PDF or Word document (by type or file name).
bool reviewable_attachment(const integrations::tickets::attachment& a);

// A fingerprint of what a review would read: title, description and the reviewable attachments
// (id, size, name). Equal fingerprints mean the review would not change, so nothing is fetched,
// reviewed or posted.
std::string content_fingerprint(const integrations::tickets::ticket_event& e);

struct attachment_text {
  std::string filename;
  knowledge::result<knowledge::document> text;  // an error when it could not be read
};

struct ticket_document {
  knowledge::document doc;               // the lines reviewed
  std::string text;                      // the same text, for the stored review's content hash
  std::vector<std::string> sources;      // "ticket description", "attachment proposal.pdf"
  std::vector<std::string> unreadable;   // "scan.pdf: PDF has no extractable text (scanned images?)"
};

// The title and description (read as text or Markdown, as typed), then each attachment's lines,
// their section prefixed with the file name so evidence points at the file.
ticket_document ticket_text(std::string_view title, std::string_view body,
                            const std::vector<attachment_text>& attachments,
                            const knowledge::extract_limits& limits);

}  // namespace bot
