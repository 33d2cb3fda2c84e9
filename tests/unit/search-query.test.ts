// The search text of GET /api/jobs never reaches tsquery syntax as typed: only
// words of letters and digits, joined with &, the last one a prefix.
import { describe, expect, it } from "vitest";
import { MAX_SEARCH_WORDS, toTsQueryText } from "@/lib/jobs/search";

describe("toTsQueryText", () => {
  it("joins words with & and makes the last one a prefix", () => {
    expect(toTsQueryText("Lighthouses at DU")).toBe("lighthouses & at & du:*");
    expect(toTsQueryText("fox")).toBe("fox:*");
  });

  it("treats operators, quotes and punctuation as separators", () => {
    expect(toTsQueryText(`"a" & !b | (c) <-> d:* 'e'; --`)).toBe("a & b & c & d & e:*");
    expect(toTsQueryText("lighthouse:*A & !")).toBe("lighthouse & a:*");
  });

  it("keeps letters and digits of any script", () => {
    expect(toTsQueryText("灯台 café 1984")).toBe("灯台 & café & 1984:*");
  });

  it("has nothing to search in text without a word", () => {
    for (const text of ["", "   ", "!!!", "&|!()<->:*", "\\"]) expect(toTsQueryText(text)).toBeNull();
  });

  it("bounds the number and the length of the words", () => {
    const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(" ");
    expect(toTsQueryText(many)!.split(" & ")).toHaveLength(MAX_SEARCH_WORDS);
    expect(toTsQueryText("x".repeat(500))).toBe(`${"x".repeat(64)}:*`);
  });
});
