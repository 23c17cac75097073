#pragma once
// A tiny DOCX writer for tests: ZIP archives made with libzip in memory, holding the three parts a
// Word document needs ([Content_Types].xml, _rels/.rels, word/document.xml) or any parts given.

#include <string>
#include <string_view>
#include <vector>

namespace test {

struct zip_part {
  std::string name;  // path inside the archive, e.g. "word/document.xml"
  std::string content;
};

// A ZIP archive (deflated members) of the given parts, in order.
std::string make_zip(const std::vector<zip_part>& parts);

// word/document.xml with body_xml inside <w:body>, the w: prefix bound to WordprocessingML.
std::string document_xml(std::string_view body_xml);

// A DOCX whose body is body_xml; extra parts (word/styles.xml, ...) are added after the three
// required ones.
std::string make_docx(std::string_view body_xml, const std::vector<zip_part>& extra_parts = {});

// <w:p> with one run of text (XML-escaped), styled when style is not empty ("Heading1").
std::string paragraph(std::string_view text, std::string_view style = "");

// <w:tbl> with one <w:tr> per row and one <w:tc> (one paragraph) per cell.
std::string table(const std::vector<std::vector<std::string>>& rows);

}  // namespace test
