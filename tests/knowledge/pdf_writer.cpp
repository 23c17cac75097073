#include "tests/knowledge/pdf_writer.hpp"

#include <cstdint>
#include <cstdio>
#include <string_view>

namespace test {
namespace {

// Helvetica with /WinAnsiEncoding needs single bytes: decode UTF-8 and map what WinAnsi has.
// Malformed UTF-8 is not expected here (test input), so it simply becomes '?'.
std::string to_win_ansi(std::string_view utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t cp = '?';
    std::size_t n = 1;
    if (c < 0x80) {
      cp = c;
    } else if ((c >> 5) == 0x6 && i + 1 < utf8.size()) {
      cp = ((c & 0x1fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3fu);
      n = 2;
    } else if ((c >> 4) == 0xe && i + 2 < utf8.size()) {
      cp = ((c & 0x0fu) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3fu) << 6) |
           (static_cast<unsigned char>(utf8[i + 2]) & 0x3fu);
      n = 3;
    } else if ((c >> 3) == 0x1e) {
      n = 4;
    }
    i += n;
    if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) {
      out += static_cast<char>(cp);
      continue;
    }
    switch (cp) {
      case 0x20ac: out += '\x80'; break;  // €
      case 0x2026: out += '\x85'; break;  // …
      case 0x2018: out += '\x91'; break;
      case 0x2019: out += '\x92'; break;
      case 0x201c: out += '\x93'; break;
      case 0x201d: out += '\x94'; break;
      case 0x2022: out += '\x95'; break;  // •
      case 0x2013: out += '\x96'; break;  // –
      case 0x2014: out += '\x97'; break;  // —
      default: out += '?';
    }
  }
  return out;
}

// A PDF literal string: parentheses and backslashes escaped, bytes above 0x7e as octal so the
// file's text parts stay ASCII.
std::string literal(std::string_view win_ansi) {
  std::string out = "(";
  for (const char ch : win_ansi) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '(' || ch == ')' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c > 0x7e) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + ")";
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

}  // namespace

std::string make_pdf(const std::vector<std::vector<std::string>>& pages,
                     const pdf_options& options) {
  // Objects: 1 catalog, 2 page tree, 3 font, then a page and its content stream per page.
  std::vector<std::string> objects(3);
  std::string kids;
  for (std::size_t i = 0; i < pages.size(); ++i) {
    const std::size_t page_id = 4 + 2 * i;
    kids += std::to_string(page_id) + " 0 R ";
    std::string content;
    if (!pages[i].empty()) {
      content = "BT\n/F1 " + number(options.font_size) + " Tf\n72 740 Td\n";
      for (std::size_t l = 0; l < pages[i].size(); ++l) {
        if (l > 0) content += "0 -" + number(options.line_height) + " Td\n";
        if (!pages[i][l].empty()) content += literal(to_win_ansi(pages[i][l])) + " Tj\n";
      }
      content += "ET\n";
    }
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> "
        ">> /Contents " +
        std::to_string(page_id + 1) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                      "endstream");
  }
  objects[0] = "<< /Type /Catalog /Pages 2 0 R >>";
  objects[1] =
      "<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(pages.size()) + " >>";
  objects[2] = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>";

  // The comment of four high bytes after the header marks the file as binary, as writers do.
  std::string pdf = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const std::size_t xref_at = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const auto offset : offsets) {
    char entry[24];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref_at) + "\n%%EOF\n";
  return pdf;
}

std::vector<std::vector<std::string>> sample_pages(std::size_t count, std::size_t lines_per_page) {
  std::vector<std::vector<std::string>> pages;
  for (std::size_t p = 1; p <= count; ++p) {
    std::vector<std::string> lines{std::to_string(p) + ". Section " + std::to_string(p), ""};
    for (std::size_t l = 1; l <= lines_per_page; ++l)
      lines.push_back("Page " + std::to_string(p) + " line " + std::to_string(l) +
                      ": the trainers cover retrieval, evaluation and deployment in practice.");
    pages.push_back(std::move(lines));
  }
  return pages;
}

}  // namespace test
