package io.concord.data.moe;

import io.concord.core.moe.MoeExample;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainGeneratorsTest {

    private final FeatureDomains features = new FeatureDomains(new FeatureDomains.Config(6, 8, 4, 3.0, 0.0), 7);
    private final TokenDomains tokens = new TokenDomains(new TokenDomains.Config(5, 64, 4, 12, 3, 0.1, 0.0), 7);

    @Test
    void examplesArePureFunctionsOfSeedAndIndex() {
        List<MoeExample> all = features.examples(0, 200);
        assertThat(features.examples(150, 200)).isEqualTo(all.subList(150, 200));
        assertThat(new FeatureDomains(features.config(), 7).example(123)).isEqualTo(all.get(123));
        assertThat(new FeatureDomains(features.config(), 8).examples(0, 20)).isNotEqualTo(all.subList(0, 20));
        assertThat(tokens.examples(10, 30)).isEqualTo(new TokenDomains(tokens.config(), 7).examples(0, 30)
                .subList(10, 30));
    }

    @Test
    void featureDomainsAreRecognisableAndLabelsUseEveryClass() {
        List<MoeExample> xs = features.examples(0, 3000);
        int[] perDomain = new int[6];
        int[][] labels = new int[6][4];
        int nearestCentreRight = 0;
        for (MoeExample x : xs) {
            int d = x.domain();
            perDomain[d]++;
            labels[d][x.label()]++;
            int best = -1;
            double bestDist = Double.POSITIVE_INFINITY;
            for (int c = 0; c < 6; c++) {
                double[] mu = features.centre(c);
                double dist = 0.0;
                for (int j = 0; j < 8; j++) {
                    dist += (x.features()[j] - mu[j]) * (x.features()[j] - mu[j]);
                }
                if (dist < bestDist) {
                    bestDist = dist;
                    best = c;
                }
            }
            nearestCentreRight += best == d ? 1 : 0;
        }
        assertThat(nearestCentreRight / 3000.0).as("domain recoverable from x").isGreaterThan(0.9);
        for (int d = 0; d < 6; d++) {
            assertThat(perDomain[d]).as("uniform domains").isBetween(400, 600);
            assertThat(java.util.Arrays.stream(labels[d]).max().getAsInt()).as("domain " + d + " uses several classes")
                    .isLessThan((int) (0.8 * perDomain[d]));
        }
    }

    @Test
    void skewMakesEarlyDomainsMoreFrequent() {
        FeatureDomains skewed = new FeatureDomains(new FeatureDomains.Config(4, 3, 2, 1.0, 1.0), 3);
        int[] n = new int[4];
        for (MoeExample x : skewed.examples(0, 5000)) {
            n[x.domain()]++;
        }
        // ∝ 1, 1/2, 1/3, 1/4 → 48%, 24%, 16%, 12%.
        assertThat(n[0]).isBetween(2200, 2600);
        assertThat(n[3]).isBetween(450, 750);
    }

    @Test
    void tokenDomainsStayInTheirBlockExceptForSharedTokens() {
        int block = tokens.config().blockSize();
        int shared = 0;
        int total = 0;
        for (MoeExample x : tokens.examples(0, 400)) {
            int d = x.domain();
            int[] t = x.tokens();
            assertThat(t).hasSize(12);
            for (int j = 0; j < t.length; j++) {
                total++;
                if (t[j] < 4) {
                    shared++;
                    continue;
                }
                assertThat(t[j]).isBetween(tokens.blockStart(d), tokens.blockStart(d) + block - 1);
                if (j > 0 && t[j - 1] >= 4) {
                    int prev = t[j - 1];
                    assertThat(List.of(tokens.successor(d, prev, 0), tokens.successor(d, prev, 1),
                            tokens.successor(d, prev, 2))).contains(t[j]);
                }
            }
        }
        assertThat(shared / (double) total).isBetween(0.05, 0.15);
    }

    @Test
    void badConfigsNameTheirKey() {
        assertThatThrownBy(() -> new FeatureDomains.Config(1, 8, 4, 3, 0)).hasMessageContaining("data.domains");
        assertThatThrownBy(() -> new FeatureDomains.Config(4, 8, 4, -1, 0)).hasMessageContaining("data.separation");
        assertThatThrownBy(() -> new TokenDomains.Config(4, 10, 2, 12, 3, 0.1, 0))
                .hasMessageContaining("data.successors");
        assertThatThrownBy(() -> new TokenDomains.Config(4, 64, 0, 12, 3, 0.1, 0))
                .hasMessageContaining("data.sharedTokens");
        assertThatThrownBy(() -> features.example(-1)).hasMessageContaining("index");
    }
}
