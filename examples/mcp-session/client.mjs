// Reaches the session's MCP server with the SDK's stdio client, `sessionctl attach` as its transport.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const [id] = process.argv.slice(2);
const transport = new StdioClientTransport({ command: 'sessionctl', args: ['attach', id, '--child', 'mcp'], env: process.env });
const client = new Client({ name: 'example-agent', version: '1.0.0' });
await client.connect(transport);
const { tools } = await client.listTools();
const result = await client.callTool({ name: 'add', arguments: { a: 2, b: 3 } });
console.log(`tools: ${tools.map((tool) => tool.name).join(', ')}; add(2, 3) = ${result.content[0].text}`);
await client.close();
