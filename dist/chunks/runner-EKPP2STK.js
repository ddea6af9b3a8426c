import { createRequire as __preflightCreateRequire } from 'node:module';
const require = __preflightCreateRequire(import.meta.url);
import{a,b}from"./chunk-JZMZP42U.js";import"./chunk-5AHUFK5K.js";import"./chunk-IQKVXV2V.js";import"./chunk-Q4TIY5T3.js";import"./chunk-P6G4WB2S.js";import"./chunk-GZUVUUMR.js";import"./chunk-H2MIXKNL.js";import"./chunk-5UTR3335.js";import"./chunk-DXY22MMN.js";import"./chunk-N2522RTT.js";import"./chunk-OWSA57Q3.js";import"./chunk-RLHBGX3A.js";import"./chunk-6XUV5PZO.js";import"./chunk-OZJ4OJ24.js";export{a as createAgentRunner,b as createAgentRunnerFromEnv};
