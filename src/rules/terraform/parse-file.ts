/** Reads a Terraform file of any spelling (native HCL, JSON, variables file) into the HCL model. */
import { parseHcl, parseTfJson, type HclFile } from '../parse/hcl.js'

export async function parseTerraformFile(path: string, content: string): Promise<HclFile> {
  if (/\.tf\.json$/i.test(path)) return parseTfJson(content)
  if (/\.tfvars\.json$/i.test(path)) return tfvarsJson(content)
  return parseHcl(content)
}

/** `.tfvars.json`: a flat object of variable values, read as top-level attributes. */
function tfvarsJson(content: string): HclFile {
  const wrapped = parseTfJson(`{"locals": ${content}}`)
  const locals = wrapped.blocks.find((b) => b.type === 'locals')
  return { blocks: [], attributes: locals?.attributes ?? {} }
}
