package io.sohbet.kit.keys;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class ErasedSubjectsTest {

    private static final Instant ERASED = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void aPersonNeverErasedIsKept() {
        assertThat(ErasedSubjects.erased(null, ERASED)).isFalse();
        assertThat(ErasedSubjects.erased(new SubjectKeys.ErasureInfo(Optional.empty(), true), ERASED)).isFalse();
        assertThat(ErasedSubjects.erased(new SubjectKeys.ErasureInfo(Optional.empty(), false), ERASED)).isFalse();
    }

    @Test
    void anErasedPersonWithoutAKeyIsDroppedWhateverTheEventsTime() {
        SubjectKeys.ErasureInfo gone = new SubjectKeys.ErasureInfo(Optional.of(ERASED), false);
        assertThat(ErasedSubjects.erased(gone, ERASED.minusSeconds(60))).isTrue();
        assertThat(ErasedSubjects.erased(gone, ERASED.plusSeconds(60))).as("a read of an old message after the erasure").isTrue();
        assertThat(ErasedSubjects.erased(gone, null)).isTrue();
    }

    @Test
    void aPersonWhoCameBackKeepsOnlyWhatTheyDidSince() {
        SubjectKeys.ErasureInfo back = new SubjectKeys.ErasureInfo(Optional.of(ERASED), true);
        assertThat(ErasedSubjects.erased(back, ERASED.minusSeconds(1))).as("Meta's retry of an old message").isTrue();
        assertThat(ErasedSubjects.erased(back, ERASED)).isTrue();
        assertThat(ErasedSubjects.erased(back, ERASED.plusSeconds(1))).isFalse();
        assertThat(ErasedSubjects.erased(back, null)).isFalse();
    }
}
