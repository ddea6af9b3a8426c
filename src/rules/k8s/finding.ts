/** The Kubernetes and CloudFormation analyzers build findings through the shared builder. */
export { makeFinding, type FindingExtra } from '../finding.js'
