package io.concord.core.pref;

import io.concord.core.lm.CharVocabulary;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CharVocabularyTest {

    @Test
    void buildOrdersByCountThenCodePoint() {
        CharVocabulary v = CharVocabulary.build(List.of("abca", "cb", "zé"), 100, 1);
        // counts: a 2, b 2, c 2, z 1, é 1 → a, b, c (ties by code point), then z (0x7A) before é (0xE9)
        assertThat(v.codePoints()).containsExactly('a', 'b', 'c', 'z', 0xE9);
        assertThat(v.size()).isEqualTo(CharVocabulary.SPECIALS + 5);
        assertThat(v.encode("cab")).containsExactly(5, 3, 4);
        assertThat(CharVocabulary.build(List.of("zé", "cb", "abca"), 100, 1)).isEqualTo(v);
        assertThat(CharVocabulary.build(List.of("abca", "cb", "zé"), 3, 1).codePoints()).containsExactly('a', 'b', 'c');
        assertThat(CharVocabulary.build(List.of("abca", "cb", "zé"), 100, 2).codePoints()).containsExactly('a', 'b', 'c');
    }

    @Test
    void encodeDecodeRoundTripWithUnknownsAndSupplementaryCharacters() {
        CharVocabulary v = CharVocabulary.build(List.of("hello, world\n😀"), 100, 1);
        String text = "hello\nworld 😀";
        assertThat(v.decode(v.encode(text))).isEqualTo(text);
        assertThat(v.encode("q")).containsExactly(CharVocabulary.UNK);
        assertThat(v.decode(v.encode("hq"))).isEqualTo("h\uFFFD");
        int[] withSpecials = {CharVocabulary.BOS, v.id('h'), CharVocabulary.EOS};
        assertThat(v.decode(withSpecials)).isEqualTo("h");
    }

    @Test
    void saveAndLoad() throws IOException {
        CharVocabulary v = CharVocabulary.build(List.of("a\nb\tc é😀 "), 100, 1);
        StringWriter out = new StringWriter();
        v.write(out);
        assertThat(out.toString()).startsWith(CharVocabulary.HEADER + "\n");
        assertThat(CharVocabulary.read(new StringReader(out.toString()), "vocab.txt")).isEqualTo(v);
    }

    @Test
    void loadErrorsNameSourceAndLine() {
        assertThatThrownBy(() -> CharVocabulary.read(new StringReader("nope\n41\n"), "v.txt"))
                .hasMessageStartingWith("v.txt:1: not a character vocabulary");
        assertThatThrownBy(() -> CharVocabulary.read(new StringReader(CharVocabulary.HEADER + "\n41\nxyz\n"), "v.txt"))
                .hasMessageStartingWith("v.txt:3: 'xyz' is not a hexadecimal code point");
        assertThatThrownBy(() -> CharVocabulary.read(new StringReader(CharVocabulary.HEADER + "\n41\n41\n"), "v.txt"))
                .hasMessageStartingWith("v.txt:3: code point 41 already listed on line 2");
    }
}
