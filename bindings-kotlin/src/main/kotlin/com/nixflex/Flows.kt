// The idiomatic layer over the generated bindings (nixflex_ffi.kt): paginated lists as Flows.

package com.nixflex

import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow

/**
 * A cold [Flow] over a walk: each collection opens a pager (the core prefetches the next pages
 * while this one is emitted) and closes it when the collection ends, early or not, which stops
 * the prefetching.
 */
internal fun <P : AutoCloseable, T> pagerFlow(open: () -> P, next: suspend (P) -> List<T>?): Flow<T> = flow {
    open().use { pager ->
        while (true) {
            val page = next(pager) ?: break
            for (item in page) emit(item)
        }
    }
}
