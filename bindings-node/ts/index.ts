// The npm package `nixflex`. `import Nixflex from 'nixflex'` (ESM) and `require('nixflex')`
// (CommonJS) give the same classes, so `instanceof` works across both.

import { Nixflex } from './client'

// Types are re-exported with plain `export { }` (tsc drops them from the JavaScript), not
// `export type { }`: the CommonJS typings (scripts/build-cts.cjs) alias every export, which
// TypeScript refuses for names exported as type-only.

export { Nixflex, VERSION } from './client'
export { NixflexClientOptions } from './client'
export { APIPromise } from './core'
export { IterParams, Page, RequestOptions, ResponseMeta, WithResponse } from './core'
export {
  NixflexAbortError,
  NixflexAuthenticationError,
  NixflexConflictError,
  NixflexConnectionError,
  NixflexError,
  NixflexInvalidRequestError,
  NixflexNotFoundError,
  NixflexPaymentRequiredError,
  NixflexPermissionDeniedError,
  NixflexRateLimitError,
  NixflexServerError,
  NixflexSignatureError,
  NixflexTimeoutError,
  NixflexUpstreamError,
  errorFromResponse,
} from './errors'
export { NixflexErrorFields } from './errors'
export { constructWebhookEvent, signWebhook, verifyWebhookSignature, WebhooksResource } from './webhooks'
export { RawBody, VerifyOptions, WebhookEvent, WebhookSlot } from './webhooks'
export * from './generated/resources'
export type * from './generated/types'

export default Nixflex

// CommonJS: `require('nixflex')` is the class itself, with every export on it too, so that
// `const Nixflex = require('nixflex')`, `const { Nixflex } = require('nixflex')` and
// `require('nixflex').default` all work.
if (typeof module !== 'undefined' && module.exports) {
  const all = module.exports as Record<string, unknown>
  for (const [name, value] of Object.entries(all)) {
    if (name !== 'Nixflex' && !(name in Nixflex)) {
      Object.defineProperty(Nixflex, name, { value, enumerable: true, configurable: true, writable: true })
    }
  }
  module.exports = Nixflex
  Object.defineProperty(Nixflex, 'default', { value: Nixflex, enumerable: false, configurable: true })
  Object.defineProperty(Nixflex, '__esModule', { value: true, enumerable: false, configurable: true })
  Object.defineProperty(Nixflex, 'Nixflex', { value: Nixflex, enumerable: true, configurable: true })
}
