package be.needtoknow.cases;

/** What an import batch changed. */
public record ImportResult(int received, int created, int updated, int unchanged) {
}
