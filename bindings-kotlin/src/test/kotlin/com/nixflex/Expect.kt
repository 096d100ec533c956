package com.nixflex

import org.junit.jupiter.api.Assertions.fail

/** Runs [call] and returns the exception of type [T] it threw; fails on anything else. */
suspend inline fun <reified T : Throwable> expect(crossinline call: suspend () -> Unit): T {
    try {
        call()
    } catch (e: Throwable) {
        if (e is T) return e
        throw AssertionError("expected ${T::class.simpleName}, got $e", e)
    }
    fail<Unit>("expected ${T::class.simpleName}, got no exception")
    throw IllegalStateException()
}
