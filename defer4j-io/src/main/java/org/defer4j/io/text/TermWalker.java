package org.defer4j.io.text;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.StopFilter;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.shingle.ShingleFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TypeAttribute;

/**
 * Walks the terms of a text in their defined order and hands each term's key (as chars) to a
 * visitor. One walker serves many threads: Lucene's {@link Analyzer} keeps one token stream per
 * thread.
 */
final class TermWalker {
  /** Receives one term key; {@code chars[0, length)} is only valid during the call. */
  interface Visitor {
    void term(char[] chars, int length);
  }

  private static final String FIELD = "text";

  private final TextOptions options;
  private final Analyzer analyzer;

  TermWalker(TextOptions options) {
    this.options = options;
    this.analyzer = new WordAnalyzer(options);
  }

  /** Visits every term of {@code text} (null is the empty text). */
  void walk(String text, Visitor visitor) {
    if (text == null || text.isEmpty()) {
      return;
    }
    char[] gram = options.charNgrams() ? new char[2 * (options.maxCharNgram() + 1)] : null;
    try (TokenStream ts = analyzer.tokenStream(FIELD, text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      TypeAttribute type = ts.addAttribute(TypeAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        char[] buffer = term.buffer();
        int length = term.length();
        visitor.term(buffer, length);
        if (gram != null && !ShingleFilter.DEFAULT_TOKEN_TYPE.equals(type.type())) {
          charNgrams(buffer, length, gram, visitor);
        }
      }
      ts.end();
    } catch (IOException e) {
      // A StringReader never fails; anything else is a bug in the analysis chain.
      throw new UncheckedIOException("cannot analyse text", e);
    }
  }

  /**
   * Character n-grams of {@code <word>}, counted in code points so that no gram splits a surrogate
   * pair; each key is a space followed by the gram, and since no word or word n-gram starts with a
   * space, character n-grams never share a key with words.
   */
  private void charNgrams(char[] word, int length, char[] gram, Visitor visitor) {
    int[] cps = new int[length + 2];
    int m = 0;
    cps[m++] = '<';
    for (int i = 0; i < length; ) {
      int cp = Character.codePointAt(word, i, length);
      cps[m++] = cp;
      i += Character.charCount(cp);
    }
    cps[m++] = '>';
    for (int n = options.minCharNgram(); n <= options.maxCharNgram(); n++) {
      for (int start = 0; start + n <= m; start++) {
        int k = 0;
        gram[k++] = ' ';
        for (int j = start; j < start + n; j++) {
          k += Character.toChars(cps[j], gram, k);
        }
        visitor.term(gram, k);
      }
    }
  }

  /** StandardTokenizer → LowerCaseFilter → [StopFilter → gap closing] → [ShingleFilter]. */
  private static final class WordAnalyzer extends Analyzer {
    private final TextOptions options;

    WordAnalyzer(TextOptions options) {
      this.options = options;
    }

    @Override
    protected TokenStreamComponents createComponents(String fieldName) {
      StandardTokenizer source = new StandardTokenizer();
      TokenStream stream = new LowerCaseFilter(source);
      if (options.englishStopWords()) {
        stream = new StopFilter(stream, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET);
        stream = new CloseGaps(stream);
      }
      if (options.maxWordNgram() > 1) {
        ShingleFilter shingles = new ShingleFilter(stream, 2, options.maxWordNgram());
        shingles.setOutputUnigrams(true);
        shingles.setTokenSeparator(" ");
        stream = shingles;
      }
      return new TokenStreamComponents(source, stream);
    }
  }

  /**
   * Sets every position increment to 1, so that n-grams join the words left after stop-word removal
   * (as scikit-learn does) instead of ShingleFilter's "_" filler tokens.
   */
  private static final class CloseGaps extends TokenFilter {
    private final PositionIncrementAttribute increment =
        addAttribute(PositionIncrementAttribute.class);

    CloseGaps(TokenStream input) {
      super(input);
    }

    @Override
    public boolean incrementToken() throws IOException {
      if (!input.incrementToken()) {
        return false;
      }
      if (increment.getPositionIncrement() > 1) {
        increment.setPositionIncrement(1);
      }
      return true;
    }
  }
}
