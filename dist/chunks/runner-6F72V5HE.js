import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-EJZN34DO.js";import"./chunk-5AHUFK5K.js";import"./chunk-IQKVXV2V.js";import"./chunk-Q4TIY5T3.js";import"./chunk-CLWFQ3MO.js";import"./chunk-GZUVUUMR.js";import"./chunk-H2MIXKNL.js";import"./chunk-5UTR3335.js";import"./chunk-76STWAWP.js";import"./chunk-URMOVIS6.js";import"./chunk-OWSA57Q3.js";import"./chunk-RLHBGX3A.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as createAgentRunner,b as createAgentRunnerFromEnv};
