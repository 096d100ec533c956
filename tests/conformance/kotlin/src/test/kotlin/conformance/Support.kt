// What the generated dispatch (Dispatch.kt) works with: a step's arguments and the typed reads
// of JSON values into the Kotlin API's records.

package conformance

/** A failed expectation, or a scenario the Kotlin API cannot express. */
class ScenarioError(message: String) : Exception(message)

/** The arguments of one step, as the scenario gives them. */
class Args(
    val path: Map<String, Any?>,
    val query: Map<String, Any?>,
    private val body: Any?,
) {
    /** Fails on names the operation does not have, so that a typo in a scenario is caught. */
    fun check(op: String, pathNames: List<String>, queryNames: List<String>, takesBody: Boolean) {
        path.keys.firstOrNull { it !in pathNames }?.let { throw ScenarioError("$op has no path parameter \"$it\"") }
        query.keys.firstOrNull { it !in queryNames }?.let { throw ScenarioError("$op has no query parameter \"$it\"") }
        if (body != null && !takesBody) throw ScenarioError("$op takes no body")
    }

    fun path(name: String): String = when (val v = path[name]) {
        is String -> v
        null -> throw ScenarioError("path parameter $name is missing")
        else -> throw ScenarioError("path parameter $name must be a string")
    }

    fun queryString(name: String): String? = query[name]?.asString("query.$name")
    fun queryLong(name: String): Long? = query[name]?.asLong("query.$name")
    fun queryDouble(name: String): Double? = query[name]?.asDouble("query.$name")
    fun queryBoolean(name: String): Boolean? = query[name]?.asBoolean("query.$name")

    /** The body as a JSON object (`{}` when the scenario gives none). */
    fun body(): Map<String, Any?> = (body ?: emptyMap<String, Any?>()).asObject("body")
}

private fun cannot(at: String, what: String, v: Any?): Nothing =
    throw ScenarioError("$at = ${Json.write(v)} cannot be expressed as $what in the Kotlin API")

fun Any?.asString(at: String): String = this as? String ?: cannot(at, "a String", this)
fun Any?.asLong(at: String): Long = when (this) {
    is Long -> this
    is Double -> if (this == Math.floor(this)) this.toLong() else cannot(at, "a Long", this)
    else -> cannot(at, "a Long", this)
}
fun Any?.asDouble(at: String): Double = (this as? Number)?.toDouble() ?: cannot(at, "a Double", this)
fun Any?.asBoolean(at: String): Boolean = this as? Boolean ?: cannot(at, "a Boolean", this)

@Suppress("UNCHECKED_CAST")
fun Any?.asObject(at: String): Map<String, Any?> = this as? Map<String, Any?> ?: cannot(at, "a record", this)

private fun Map<String, Any?>.need(name: String): Any = this[name] ?: throw ScenarioError("body.$name is required by the Kotlin API (absent or null)")

fun Map<String, Any?>.reqString(name: String): String = need(name).asString("body.$name")
fun Map<String, Any?>.optString(name: String): String? = this[name]?.asString("body.$name")
fun Map<String, Any?>.reqLong(name: String): Long = need(name).asLong("body.$name")
fun Map<String, Any?>.optLong(name: String): Long? = this[name]?.asLong("body.$name")
fun Map<String, Any?>.reqDouble(name: String): Double = need(name).asDouble("body.$name")
fun Map<String, Any?>.optDouble(name: String): Double? = this[name]?.asDouble("body.$name")
fun Map<String, Any?>.reqBoolean(name: String): Boolean = need(name).asBoolean("body.$name")
fun Map<String, Any?>.optBoolean(name: String): Boolean? = this[name]?.asBoolean("body.$name")
fun Map<String, Any?>.reqJsonText(name: String): String = Json.write(need(name))
fun Map<String, Any?>.optJsonText(name: String): String? = this[name]?.let { Json.write(it) }
fun Map<String, Any?>.reqObject(name: String): Map<String, Any?> = need(name).asObject("body.$name")
fun Map<String, Any?>.optObject(name: String): Map<String, Any?>? = this[name]?.asObject("body.$name")

fun <T> Map<String, Any?>.reqList(name: String, item: (Any?) -> T): List<T> =
    (need(name) as? List<*> ?: cannot("body.$name", "a List", this[name])).map(item)
fun <T> Map<String, Any?>.optList(name: String, item: (Any?) -> T): List<T>? =
    this[name]?.let { v -> (v as? List<*> ?: cannot("body.$name", "a List", v)).map(item) }
fun Map<String, Any?>.reqJsonTextList(name: String): List<String> = reqList(name) { Json.write(it) }
fun Map<String, Any?>.optJsonTextList(name: String): List<String>? = optList(name) { Json.write(it) }
fun Map<String, Any?>.reqStringMap(name: String): Map<String, String> =
    reqObject(name).mapValues { (k, v) -> v.asString("body.$name.$k") }
fun Map<String, Any?>.optStringMap(name: String): Map<String, String>? =
    optObject(name)?.mapValues { (k, v) -> v.asString("body.$name.$k") }

/** The nullable fields given as JSON `null`: sent as `null` through the record's `nullFields`. */
fun <E> Map<String, Any?>.nulls(fields: List<Pair<String, E>>): List<E> =
    fields.filter { (wire, _) -> containsKey(wire) && this[wire] == null }.map { it.second }

/** Fields the Kotlin API does not name, for the record's `extra` map (values as JSON text). */
fun Map<String, Any?>.extra(known: Set<String>): Map<String, String> =
    filterKeys { it !in known }.mapValues { Json.write(it.value) }
