import { describe, expect, it } from "vitest";
import { normaliseText, tokenise } from "./normalise.js";

const words = (text: string): string[] => tokenise(normaliseText(text));

describe("normaliseText + tokenise", () => {
  it("folds case, accents and full-width forms to the same words", () => {
    expect(words("Crème Brûlée")).toEqual(["creme", "brulee"]);
    expect(words("ＣＲＥＭＥ　ＢＲＵＬＥＥ")).toEqual(["creme", "brulee"]);
    expect(words("Ǆ ﬁle ½")).toEqual(["dz", "file", "1", "2"]);
  });

  it("splits on anything that is not a letter or a digit", () => {
    expect(words("hello,world! foo_bar 42-x\tend\n")).toEqual([
      "hello",
      "world",
      "foo",
      "bar",
      "42",
      "x",
      "end",
    ]);
    expect(words("  ...  --- ")).toEqual([]);
    expect(words("")).toEqual([]);
  });

  it("keeps other scripts' letters, and spacing marks inside their word", () => {
    expect(words("Привет, мир")).toEqual(["привет", "мир"]);
    expect(words("ΑΘΗΝΑ Αθήνα")).toEqual(["αθηνα", "αθηνα"]);
    // "हिंदी": the vowel sign ि (Mc) must not split the word.
    expect(words("हिंदी भाषा")).toHaveLength(2);
    expect(words("東京 タワー")).toEqual(["東京", "タワー"]);
  });
});
