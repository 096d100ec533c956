// Benchmark driver for the Kotlin package (uniffi over the Rust core), on the workloads of
// benchmarks/README.md. Same commands and JSON as the other drivers:
//
//   rates  --client ours --url U --key K --write-key W [--duration S] [--warmup S] [--workloads a,b]
//   walk   --client ours --url U --key K --mode iter|seq [--expect N]
//   memory --client ours --url U --key K [--calls N] [--checkpoint N] [--concurrency C]

package com.nixflex.bench

import com.nixflex.AgentCreate
import com.nixflex.ClientConfig
import com.nixflex.NixflexClient
import com.nixflex.iter
import java.io.File
import java.util.concurrent.atomic.AtomicLong
import kotlin.system.exitProcess
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking

const val IN_FLIGHT = 32
const val LIST_LEN = 25
const val PAGE = 100L
const val SYSTEM_PROMPT = "You are the front desk of a dental practice. Greet the caller, find out what they need, " +
    "book, move or cancel appointments, and answer questions about opening hours and prices. Be brief and friendly."

fun fail(message: String): Nothing {
    System.err.println("kotlin bench: $message")
    exitProcess(1)
}

class Driver(url: String, key: String, writeKey: String) {
    private val read = NixflexClient(ClientConfig(apiKey = key, baseUrl = url))
    private val write = NixflexClient(ClientConfig(apiKey = writeKey, baseUrl = url))

    suspend fun one(workload: String) {
        when (workload) {
            "usage_seq" -> read.usage().get()
            "list25_seq", "list25_c32" -> {
                val n = read.agents().list().items.size
                if (n != LIST_LEN) fail("agents.list returned $n agents")
            }
            "create_seq" -> {
                val agent = write.agents().create(AgentCreate(name = "Bench agent", systemPrompt = SYSTEM_PROMPT))
                if (agent.agentId.isEmpty()) fail("no agent_id")
            }
            else -> fail("unknown workload $workload")
        }
    }

    suspend fun walk(mode: String): Pair<Long, Long?> = when (mode) {
        "iter" -> {
            var n = 0L
            read.calls().iter().collect { n++ }
            n to null
        }
        "seq" -> {
            var (n, pages, offset) = Triple(0L, 0L, 0L)
            while (true) {
                val page = read.calls().list(limit = PAGE, offset = offset).items
                pages++
                n += page.size
                offset += page.size
                if (page.size < PAGE) break
            }
            n to pages
        }
        else -> fail("unknown walk mode $mode")
    }
}

/** Runs `workload` with `concurrency` coroutines until `seconds` have passed: (calls, seconds). */
suspend fun timed(d: Driver, workload: String, concurrency: Int, seconds: Double): Pair<Long, Double> {
    val start = System.nanoTime()
    val deadline = start + (seconds * 1e9).toLong()
    val total = AtomicLong()
    coroutineScope {
        repeat(concurrency) {
            launch {
                while (System.nanoTime() < deadline) {
                    d.one(workload)
                    total.incrementAndGet()
                }
            }
        }
    }
    return total.get() to (System.nanoTime() - start) / 1e9
}

/** The live heap after a full collection: what the process really holds (RSS follows the heap's size). */
fun heapMb(): Double {
    val rt = Runtime.getRuntime()
    // Collections until the figure settles: objects freed by one GC's cleaners go in the next.
    var last = Double.MAX_VALUE
    repeat(6) {
        System.gc()
        Thread.sleep(100)
        val used = (rt.totalMemory() - rt.freeMemory()) / 1024.0 / 1024.0
        if (kotlin.math.abs(last - used) < 0.05) return used
        last = used
    }
    return last
}

fun rssMb(): Pair<Double, Double> {
    val status = File("/proc/self/status").readLines()
    fun field(name: String) = status.firstOrNull { it.startsWith("$name:") }
        ?.split(Regex("\\s+"))?.getOrNull(1)?.toDoubleOrNull()?.div(1024) ?: 0.0
    return field("VmRSS") to field("VmHWM")
}

fun main(argv: Array<String>) = runBlocking {
    if (argv.isEmpty()) fail("usage: rates|walk|memory --client ours --url U --key K ...")
    val command = argv[0]
    val args = argv.drop(1).chunked(2).associate { (k, v) -> k.removePrefix("--") to v }
    val url = args["url"] ?: fail("--url is required")
    val key = args["key"] ?: fail("--key is required")
    when (command) {
        "rates" -> {
            val d = Driver(url, key, args["write-key"] ?: key)
            val duration = args["duration"]?.toDouble() ?: 1.5
            val warmup = args["warmup"]?.toDouble() ?: 0.3
            val parts = (args["workloads"] ?: "usage_seq,list25_seq,list25_c32,create_seq").split(",").filter { it.isNotEmpty() }
            val out = parts.map { w ->
                val concurrency = if (w.endsWith("_c32")) IN_FLIGHT else 1
                timed(d, w, concurrency, warmup)
                val (ops, seconds) = timed(d, w, concurrency, duration)
                "\"$w\":{\"ops\":$ops,\"seconds\":$seconds,\"rate\":${ops / seconds}}"
            }
            println("{\"client\":\"ours\",\"workloads\":{${out.joinToString(",")}}}")
        }
        "walk" -> {
            val d = Driver(url, key, key)
            val mode = args["mode"] ?: "iter"
            val expect = args["expect"]?.toLong() ?: 0L
            val start = System.nanoTime()
            val (items, pages) = d.walk(mode)
            val seconds = (System.nanoTime() - start) / 1e9
            if (expect > 0 && items != expect) fail("the walk saw $items items, expected $expect")
            println("{\"client\":\"ours\",\"mode\":\"$mode\",\"items\":$items,\"pages\":${pages ?: "null"},\"seconds\":$seconds}")
        }
        "memory" -> {
            val d = Driver(url, key, key)
            val calls = args["calls"]?.toLong() ?: 100_000L
            val checkpoint = args["checkpoint"]?.toLong() ?: 10_000L
            val concurrency = args["concurrency"]?.toInt() ?: IN_FLIGHT
            val start = System.nanoTime()
            val points = mutableListOf<String>()
            val heap = mutableListOf<String>()
            var done = 0L
            for (target in listOf(minOf(checkpoint, calls), calls / 2, calls).filter { it > 0 }.distinct().sorted()) {
                val left = AtomicLong(target - done)
                coroutineScope {
                    repeat(concurrency) {
                        launch { while (left.getAndDecrement() > 0) d.one("usage_seq") }
                    }
                }
                done = target
                points += "\"$done\":${rssMb().first}"
                heap += "\"$done\":${heapMb()}"
            }
            val seconds = (System.nanoTime() - start) / 1e9
            println("{\"client\":\"ours\",\"calls\":$calls,\"concurrency\":$concurrency,\"rss_mb\":{${points.joinToString(",")}}," +
                "\"heap_after_gc_mb\":{${heap.joinToString(",")}},\"peak_rss_mb\":${rssMb().second},\"seconds\":$seconds}")
        }
        else -> fail("unknown command $command")
    }
}
