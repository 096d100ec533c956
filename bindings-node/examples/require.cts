// CommonJS code: `require('nixflex')` is the client class, with every other export on it.
import Nixflex = require('nixflex')

async function main(): Promise<void> {
  const client = new Nixflex({ apiKey: process.env.NIXFLEX_API_KEY, baseUrl: process.env.NIXFLEX_BASE_URL })
  const params: Nixflex.AgentCreateParams = { name: 'From CommonJS' }
  const agent: Nixflex.Agent = await client.agents.create(params)
  try {
    await client.agents.get('agent_0000000000000000')
  } catch (err) {
    if (!(err instanceof Nixflex.NixflexNotFoundError)) throw err
    console.log(agent.agent_id, err.code)
  }
  const { NixflexError } = Nixflex
  const check: boolean = Nixflex.verifyWebhookSignature('{}', null, 'nxfs_x')
  console.log(NixflexError.name, check)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exit(1)
})
