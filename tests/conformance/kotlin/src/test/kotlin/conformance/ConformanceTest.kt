// The entry point: one JUnit test that runs every scenario and writes one JSON line per scenario
// (to the file named by -Dconformance.out, else to stdout). It never fails on a scenario: the
// aggregator (tests/conformance/run.py) judges the lines.

package conformance

import java.io.File
import org.junit.jupiter.api.Test

class ConformanceTest {
    @Test
    fun scenarios() {
        val mockUrl = System.getenv("NIXFLEX_MOCK_URL") ?: error("set NIXFLEX_MOCK_URL to the mock server's URL")
        val root = File(System.getProperty("conformance.root") ?: "../../..").canonicalFile
        val dir = System.getenv("NIXFLEX_CONFORMANCE_SCENARIOS")?.let { File(it) } ?: File(root, "tests/conformance/scenarios")
        val prefixes = (System.getProperty("conformance.only") ?: "").split(',', ' ').filter { it.isNotBlank() }
        val jobs = System.getProperty("conformance.jobs")?.toIntOrNull() ?: 4
        val out = System.getProperty("conformance.out")?.takeIf { it.isNotBlank() }?.let { File(it) }
        out?.writeText("")
        runAll(mockUrl, dir, prefixes, jobs) { line ->
            if (out != null) out.appendText(line + "\n") else println(line)
        }
    }
}
